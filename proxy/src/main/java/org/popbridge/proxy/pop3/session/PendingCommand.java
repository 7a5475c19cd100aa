package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3Verb;

/**
 * A command sent upstream and not yet fully answered.
 *
 * @param name what it was, for logs (never a secret)
 * @param multilineOnOk whether a +OK reply carries a body
 * @param barrier whether its reply may change the session state, so nothing may be sent after it until it is answered
 */
public record PendingCommand(String name, boolean multilineOnOk, boolean barrier, ReplyHandler handler) {

    /** The command as the verb table frames its reply; an extension the table does not know has a one-line reply. */
    public static PendingCommand of(Pop3Command command, ReplyHandler handler) {
        Pop3Verb verb = command.verb().orElse(null);
        return new PendingCommand(command.keyword(), verb != null && verb.multilineOnOk(command),
                verb != null && verb.isBarrier(), handler);
    }
}
