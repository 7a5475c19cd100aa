package org.popbridge.proxy.pop3.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.List;
import org.popbridge.proxy.core.session.ClientOctets;
import org.popbridge.proxy.core.session.ClearLogins;
import org.popbridge.proxy.core.session.ListenerSettings;
import org.popbridge.proxy.core.session.SessionLimits;
import org.popbridge.proxy.pop3.Pop3CommandDecoder;
import org.popbridge.proxy.pop3.Pop3ReplyEncoder;
import org.popbridge.proxy.pop3.maildrop.MaildropEntry;
import org.popbridge.proxy.testing.CodecInput;
import org.popbridge.proxy.testing.TrackingAllocator;

/**
 * A {@link Pop3Session} on an {@link EmbeddedChannel}, with the client pipeline of
 * {@code ClientChannelInitializer} (less TLS and the idle timer) and a {@link ScriptedUpstream}.
 * The client's side is text: what it sends is fed in as octets, what it sees is read back off
 * the channel. Every buffer comes from a {@link TrackingAllocator}, so {@link #close()} can
 * check that none leaked.
 */
final class SessionHarness implements AutoCloseable {

    /** Few protocol errors tolerated, so the limit is quick to reach. */
    static final int PROTOCOL_ERRORS = 3;

    final TrackingAllocator alloc = new TrackingAllocator();
    final EmbeddedChannel channel;
    final ScriptedUpstream upstream;
    private ScriptedUpstream opened;

    /** @param maildrop the messages of an upstream that serves them only by identity (as IMAP does); null for a plain relay */
    SessionHarness(List<MaildropEntry> maildrop) {
        SessionLimits limits = new SessionLimits(255, 8192, PROTOCOL_ERRORS, Duration.ofMinutes(10), 64);
        // Clear-text logins allowed and no certificate: USER and PASS are accepted, STLS is not offered.
        // No failure delay: an EmbeddedChannel runs scheduled tasks only when told to.
        ListenerSettings settings = new ListenerSettings("pop3://127.0.0.1:1110", false, null, ClearLogins.ALL, limits,
                new org.popbridge.proxy.core.session.ClientLimits(1000, 50, 10, java.time.Duration.ofMinutes(3), 3,
                        java.time.Duration.ZERO, java.util.List.of()));
        Pop3Upstream.Factory upstreams = Pop3Upstream.Factory.of("scripted", (listener, sessionId, client) -> {
            opened = new ScriptedUpstream(listener, sessionId, alloc, maildrop);
            return opened;
        });
        // Not registered yet: the handlers must be in place, under their names, before channelActive.
        channel = new EmbeddedChannel(false, false);
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(ClientOctets.NAME, new ClientOctets());
        channel.pipeline().addLast(Pop3Session.COMMAND_DECODER, new Pop3CommandDecoder(limits.commandLineOctets()));
        channel.pipeline().addLast("pop3-reply-encoder", new Pop3ReplyEncoder());
        channel.pipeline().addLast("session", new Pop3Session(settings, upstreams, null));
        try {
            channel.register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        upstream = opened;
        assertThat(upstream.opened()).as("the session connects its upstream when the client connects").isTrue();
    }

    static SessionHarness relay() {
        return new SessionHarness(null);
    }

    /** The client writes these octets in one piece; then whatever the loop was asked to do runs. */
    void clientSends(String latin1) {
        channel.writeInbound(alloc.copyOf(latin1));
        channel.runPendingTasks();
    }

    /** The client writes these octets one at a time, as a slow terminal would. */
    void clientSendsByteByByte(String latin1) {
        CodecInput.byteByByte(latin1).forEach(this::clientSends);
    }

    /** Everything flushed to the client since the last call, as text; the buffers are released. */
    String clientSees() {
        channel.runPendingTasks();
        StringBuilder seen = new StringBuilder();
        for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
            try {
                seen.append(CodecInput.latin1(buf));
            } finally {
                buf.release();
            }
        }
        return seen.toString();
    }

    /** Greets the client over an upstream with these capabilities, and logs in with USER and PASS. */
    void login(String... capabilities) {
        upstream.becomesReady(capabilities);
        assertThat(clientSees()).isEqualTo("+OK popbridge ready\r\n");
        clientSends("USER alice\r\n");
        upstream.ok("send PASS");
        clientSends("PASS s3cret\r\n");
        upstream.ok("logged in");
        assertThat(clientSees()).isEqualTo("+OK send PASS\r\n+OK logged in\r\n");
        assertThat(upstream.takeSent()).containsExactly("USER alice", "PASS s3cret");
    }

    /** Closes the client's end, fails on an exception the pipeline raised, and checks that no buffer leaked. */
    @Override
    public void close() {
        channel.runPendingTasks();
        channel.finishAndReleaseAll();
        alloc.assertAllReleased();
    }
}
