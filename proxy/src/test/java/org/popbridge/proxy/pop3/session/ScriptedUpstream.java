package org.popbridge.proxy.pop3.session;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.popbridge.filters.TlsSummary;
import org.popbridge.proxy.core.upstream.BearerMechanism;
import org.popbridge.proxy.core.upstream.UpstreamLogin;
import org.popbridge.proxy.pop3.ContentChunk;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.StatusLine;
import org.popbridge.proxy.pop3.maildrop.MaildropEntry;

/**
 * A fake upstream for session tests, with no sockets: it records the typed commands the
 * session sends, and the test answers them by putting status lines, content and ends into the
 * {@link ReplyQueue}, as the POP3 relay does with what it decodes. With a maildrop it also
 * serves a {@link Mailbox} that answers marks, resets and the commit itself, in turn.
 */
final class ScriptedUpstream extends UpstreamAdapter {

    private final ByteBufAllocator alloc;
    /** Written by the session but not yet flushed: not on the wire yet. */
    private final List<String> buffered = new ArrayList<>();
    /** Flushed since the test last took them. */
    private final List<String> sent = new ArrayList<>();
    /** Every line ever flushed, never cleared. */
    private final List<String> everSent = new ArrayList<>();
    private final ScriptedMailbox mailbox;
    private boolean opened;
    private boolean connectionClosed;

    /** @param maildrop the messages a mailbox serves, making the session number the maildrop; null for a plain relay */
    ScriptedUpstream(Listener listener, String sessionId, ByteBufAllocator alloc, List<MaildropEntry> maildrop) {
        super(listener, sessionId);
        this.alloc = alloc;
        this.mailbox = maildrop == null ? null : new ScriptedMailbox(maildrop);
    }

    // ---- what the test does

    /** Ends the opening handshake with these CAPA lines: the session may greet its client. */
    void becomesReady(String... capabilities) {
        handshakeDone(null, new UpstreamCapabilities(List.of(capabilities)));
    }

    /** A status line; to a RETR, LIST or the like it only opens the body. */
    void ok(String text) {
        replies.status(StatusLine.ok(text));
        readsDone();
    }

    void err(String text) {
        replies.status(StatusLine.err(text));
        readsDone();
    }

    /** Body octets of the head reply, unstuffed, as the relay's decoder would put them. */
    void content(String latin1) {
        ContentChunk chunk = new ContentChunk(alloc.buffer(Math.max(1, latin1.length())));
        chunk.content().writeCharSequence(latin1, StandardCharsets.ISO_8859_1);
        replies.content(chunk);
        readsDone();
    }

    void end() {
        replies.end();
        readsDone();
    }

    /** A whole multi-line reply in one burst of reads. */
    void multiline(String text, String body) {
        replies.status(StatusLine.ok(text));
        content(body);
        end();
    }

    /** The connection breaks, as the relay reports a lost or unreadable server. */
    void fails(UpstreamFailure failure) {
        fail(failure, new IOException("scripted failure"));
    }

    /** The lines flushed to the server since the last call (commands as the client wrote them). */
    List<String> takeSent() {
        List<String> taken = List.copyOf(sent);
        sent.clear();
        return taken;
    }

    List<String> everSent() {
        return List.copyOf(everSent);
    }

    boolean opened() {
        return opened;
    }

    /** Whether the connection was closed; the adapter never says QUIT when closing (invariant 1). */
    boolean connectionClosed() {
        return connectionClosed;
    }

    ScriptedMailbox scriptedMailbox() {
        return mailbox;
    }

    // ---- UpstreamAdapter

    @Override
    protected void open(EventLoop eventLoop) {
        opened = true;
    }

    @Override
    protected void closeConnection() {
        connectionClosed = true;
    }

    @Override
    public void send(Pop3Command command, PendingCommand pending) {
        replies.add(pending);
        buffered.add(command.line());
    }

    /** Recorded as "BEARER mechanism user", the token left out; the test answers it as any command. */
    @Override
    public void sendBearerLogin(UpstreamLogin.Bearer login,
                                BearerMechanism mechanism, PendingCommand pending) {
        replies.add(pending);
        buffered.add("BEARER " + mechanism + " " + login.user());
    }

    @Override
    public void sendContinuation(String line) {
        buffered.add(line);
    }

    @Override
    public void flush() {
        sent.addAll(buffered);
        everSent.addAll(buffered);
        buffered.clear();
    }

    @Override
    public void pauseReading() {
    }

    @Override
    public void resumeReading() {
    }

    @Override
    public String url() {
        return "pop3://scripted.example";
    }

    @Override
    public TlsSummary tls() {
        return TlsSummary.NONE;
    }

    @Override
    public boolean needsMaildrop() {
        return mailbox != null;
    }

    @Override
    public Mailbox mailbox() {
        return mailbox;
    }

    /** Messages by identity; marks, resets and the commit are answered +OK on a later turn of the loop. */
    final class ScriptedMailbox implements Mailbox {

        private final List<MaildropEntry> entries;
        private final List<String> calls = new ArrayList<>();
        private List<MaildropEntry> committed;

        ScriptedMailbox(List<MaildropEntry> entries) {
            this.entries = List.copyOf(entries);
        }

        /** What the session asked of the mailbox, in order. */
        List<String> calls() {
            return List.copyOf(calls);
        }

        /** The messages QUIT removed; null if there was no commit. */
        List<MaildropEntry> committed() {
            return committed;
        }

        @Override
        public void list(Consumer<Listing> listed, Consumer<String> failed) {
            calls.add("list");
            listed.accept(new Listing(entries, true));
        }

        @Override
        public int headerReadsInFlight() {
            return 1;
        }

        @Override
        public void headers(MaildropEntry entry, ReplyHandler reply) {
            unscripted("headers " + entry.upstreamNumber(), true, reply);
        }

        @Override
        public void retrieve(MaildropEntry entry, ReplyHandler reply) {
            unscripted("retrieve " + entry.upstreamNumber(), true, reply);
        }

        @Override
        public void top(MaildropEntry entry, String lines, ReplyHandler reply) {
            unscripted("top " + entry.upstreamNumber(), true, reply);
        }

        @Override
        public void mark(MaildropEntry entry, ReplyHandler reply) {
            calls.add("mark " + entry.upstreamNumber());
            answerInTurn(new PendingCommand("DELE", false, false, reply),
                    () -> replies.ok("message " + entry.upstreamNumber() + " deleted"));
        }

        @Override
        public void reset(ReplyHandler reply) {
            calls.add("reset");
            answerInTurn(new PendingCommand("RSET", false, false, reply), () -> replies.ok("maildrop reset"));
        }

        @Override
        public void noop(ReplyHandler reply) {
            calls.add("noop");
            answerInTurn(new PendingCommand("NOOP", false, false, reply), () -> replies.ok(""));
        }

        @Override
        public void commit(List<MaildropEntry> deleted, ReplyHandler reply) {
            calls.add("commit");
            committed = List.copyOf(deleted);
            answerInTurn(new PendingCommand("QUIT", false, true, reply), () -> replies.ok("bye"));
        }

        private void unscripted(String call, boolean multiline, ReplyHandler reply) {
            calls.add(call);
            answerInTurn(new PendingCommand(call, multiline, false, reply), () -> replies.err("not scripted"));
        }
    }
}
