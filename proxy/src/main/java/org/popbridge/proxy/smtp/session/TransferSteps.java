package org.popbridge.proxy.smtp.session;

import java.util.function.Consumer;
import org.popbridge.proxy.smtp.SmtpCommand;
import org.popbridge.proxy.smtp.SmtpReply;

/** What a {@link Transfer} asks of its session. */
interface TransferSteps {

    /** Sends a command to the server; its reply goes to {@code onReply}. */
    void relay(SmtpCommand command, Consumer<SmtpReply> onReply);

    /** Sends the "." to the server; its reply goes to {@code onReply}. */
    void endUpstream(Consumer<SmtpReply> onReply);

    /** Closes the server's connection in the middle of the data: it saw no ".", so nothing is delivered. */
    void cutOffUpstream();

    /** The client's message is answered with {@code reply}; the transaction is over and the session goes on. */
    void answered(SmtpReply reply);

    /** The client's message is answered with {@code reply}, and the session cannot go on without its server. */
    void abandoned(SmtpReply reply);

    /** Whether the transfer wants input changed: reading from the client is paused or resumed to match. */
    void inputChanged();
}
