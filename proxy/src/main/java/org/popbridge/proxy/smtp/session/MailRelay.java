package org.popbridge.proxy.smtp.session;

import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Consumer;
import org.popbridge.filters.FilterChain;
import org.popbridge.filters.MessageInfo;
import org.popbridge.filters.SubmittedMessage;
import org.popbridge.proxy.core.metrics.Limit;
import org.popbridge.proxy.core.metrics.ListenerMeters;
import org.popbridge.proxy.core.session.LogText;
import org.popbridge.proxy.smtp.EndOfMessage;
import org.popbridge.proxy.smtp.MessageChunk;
import org.popbridge.proxy.smtp.SmtpCommand;
import org.popbridge.proxy.smtp.SmtpCommandDecoder;
import org.popbridge.proxy.smtp.SmtpInput;
import org.popbridge.proxy.smtp.SmtpReply;
import org.popbridge.proxy.smtp.SmtpVerb;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mail transactions of a logged-in session (RFC 5321 section 3.3): MAIL, RCPT, DATA and
 * RSET go to the server one at a time, and each message's data goes through a {@link Transfer}.
 * Without outgoing filters DATA is relayed and the data streamed after the server's 354; with
 * them popbridge says 354 itself and the server sees the message only once the filters let it
 * through. Either way the client's 250 for a message is the server's (invariant 9).
 */
final class MailRelay implements TransferSteps {

    /** What the relay asks of its session. */
    interface Context {
        void reply(SmtpReply reply);

        /** Says {@code reply} and ends the session. */
        void closeWith(SmtpReply reply);

        SmtpCommandDecoder decoder();

        /** Pauses or resumes reading from the client as the relay now wants. */
        void readingChanged();

        Channel channel();

        SmtpAudit audit();

        String user();
    }

    private static final Logger log = LoggerFactory.getLogger(MailRelay.class);

    private final Context session;
    private final SubmissionLeg server;
    private final String id;
    private final SmtpSettings settings;
    private final ListenerMeters meters;
    private final MailTransaction transaction = new MailTransaction();
    private Transfer transfer;
    /** From the 354 to the client's ".": what the client sends is message data. */
    private boolean readingData;
    /** DATA went upstream and its 354 is awaited: the decoder holds what follows, so nothing more is read. */
    private boolean dataAwaited;

    MailRelay(Context session, SubmissionLeg server, String id, SmtpSettings settings, ListenerMeters meters) {
        this.meters = meters;
        this.session = session;
        this.server = server;
        this.id = id;
        this.settings = settings;
    }

    /** Whether what the client sends now is message data: from the 354 to the ".". */
    boolean readingData() {
        return readingData;
    }

    /** Whether a message is under way, from the 354 to the reply to its "."; commands wait till then. */
    boolean inMessage() {
        return transfer != null;
    }

    /** Whether the client may send more now. */
    boolean wantsInput() {
        return transfer != null ? transfer.wantsInput() : !dataAwaited;
    }

    /** MAIL, RCPT, DATA or RSET of a logged-in client. */
    void command(SmtpVerb verb, SmtpCommand command) {
        switch (verb) {
            case MAIL -> mail(command);
            case RCPT -> server.relay(command, reply -> {
                transaction.rcptAnswered(command, reply);
                session.reply(reply);
            });
            case DATA -> data(command);
            default -> server.relay(command, reply -> {
                transaction.clear();
                session.reply(reply);
            });
        }
    }

    private void mail(SmtpCommand command) {
        if (MailParameters.size(command.argument()) > settings.maxMessageSize()) {
            // RFC 1870 section 6.2: refused before DATA, so the client does not send it for nothing.
            meters.limitHit(Limit.MAX_MESSAGE_SIZE);
            session.reply(SmtpReply.of(552, "5.3.4 Message size exceeds fixed maximum message size"));
            return;
        }
        server.relay(command, reply -> {
            transaction.mailAnswered(command, reply);
            session.reply(reply);
        });
    }

    private void data(SmtpCommand command) {
        FilterChain filters = settings.filters();
        if (filters.filtersMessages() && transaction.hasRecipients()) {
            session.reply(SmtpReply.of(354, "Start mail input; end with <CRLF>.<CRLF>"));
            MessageInfo message = MessageInfo.outgoing(transaction.declaredSize(), session.user(),
                    server.url(), transaction.envelope());
            begin(new FilteredTransfer(id, server, this, filters, message, settings.maxMessageSize(),
                    settings.headerLimit(), session.channel().eventLoop()));
            return;
        }
        dataAwaited = true;
        server.relay(command, reply -> {
            dataAwaited = false;
            session.reply(reply);
            if (reply.code() == 354) {
                begin(new MessageTransfer(server, settings.maxMessageSize(), this));
            } else {
                session.decoder().resumeCommands();
            }
        });
    }

    private void begin(Transfer started) {
        transfer = started;
        readingData = true;
        started.expectData(session.decoder());
    }

    /** Message data from the client, between the 354 and the ".". */
    void messageData(SmtpInput input) {
        if (input instanceof MessageChunk chunk) {
            transfer.take(chunk, session.decoder().messageOctets());
        } else if (input == EndOfMessage.INSTANCE) {
            // The decoder reads commands again; they wait in the session until the message is answered.
            readingData = false;
            transfer.end();
        } else {
            ReferenceCountUtil.release(input);
        }
    }

    /** EHLO or HELO after login: the transaction the server holds is reset first (RFC 5321 section 4.1.4). */
    void resetThen(SmtpReply answer) {
        server.relay(SmtpCommand.of(SmtpVerb.RSET, null), reset -> {
            transaction.clear();
            session.reply(reset.isPositive() ? answer : reset);
        });
    }

    /** The session is closing: a message in flight is not sent. */
    void abort() {
        if (transfer != null) {
            transfer.abort();
            transfer = null;
            readingData = false;
        }
    }

    // ---- TransferSteps

    @Override
    public void relay(SmtpCommand command, Consumer<SmtpReply> onReply) {
        server.relay(command, onReply);
    }

    @Override
    public void endUpstream(Consumer<SmtpReply> onReply) {
        server.endMessage(onReply);
    }

    @Override
    public void cutOffUpstream() {
        log.info("[{}] message from user {} not sent: cut off after {} octets", id, LogText.of(session.user()),
                transfer == null ? 0 : transfer.octets());
        server.close();
    }

    @Override
    public void answered(SmtpReply reply) {
        report(reply);
        session.reply(reply);
        session.readingChanged();
    }

    @Override
    public void abandoned(SmtpReply reply) {
        report(reply);
        session.reply(reply);
        session.closeWith(SmtpReply.of(421, "4.3.0 Closing connection, reconnect to send more"));
    }

    @Override
    public void inputChanged() {
        session.readingChanged();
    }

    /** The message is answered: the log and the session filters hear of it, and the transaction is over. */
    private void report(SmtpReply reply) {
        long octets = transfer.octets();
        transfer = null;
        if (reply.isPositive()) {
            meters.sent();
        }
        log.info("[{}] message of {} octets from user {}: {} {}", id, octets, LogText.of(session.user()), reply.code(),
                LogText.of(reply.text()));
        session.audit().submitted(new SubmittedMessage(session.user(), transaction.envelope(), octets, reply.code(),
                String.join(" ", reply.lines()), reply.queueId()));
        transaction.clear();
    }
}
