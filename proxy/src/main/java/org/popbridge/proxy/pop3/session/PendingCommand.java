package org.popbridge.proxy.pop3.session;

/**
 * A command sent upstream and not yet fully answered.
 *
 * @param name what it was, for logs (never a secret)
 * @param multilineOnOk whether a +OK reply carries a body
 * @param barrier whether its reply may change the session state, so nothing may be sent after it until it is answered
 */
public record PendingCommand(String name, boolean multilineOnOk, boolean barrier, ReplyHandler handler) {
}
