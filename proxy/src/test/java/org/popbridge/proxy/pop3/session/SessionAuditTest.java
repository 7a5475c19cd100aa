package org.popbridge.proxy.pop3.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.popbridge.filters.SessionFilter;
import org.popbridge.filters.SessionFilters;
import org.popbridge.filters.SessionInfo;
import org.popbridge.filters.SessionReply;
import org.popbridge.filters.SessionSummary;
import org.popbridge.proxy.core.metrics.ListenerMeters;
import org.popbridge.proxy.core.session.MaskedLine;
import org.popbridge.proxy.pop3.ContentChunk;
import org.popbridge.proxy.pop3.EndOfMultiline;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.StatusLine;

/**
 * {@link SessionAudit} reports each reply once it has been flushed to the client, in the order
 * the replies went, and never loses one: whatever was written is reported before the connection
 * closes and before the summary.
 */
class SessionAuditTest {

    /** What the session filter heard, in order: "RETR +OK 12", "END". */
    private final List<String> heard = new ArrayList<>();
    private EmbeddedChannel channel;
    private ChannelHandlerContext session;
    private SessionAudit audit;

    @BeforeEach
    void start() {
        SessionFilter recorder = new SessionFilter() {
            @Override
            public void replied(SessionReply reply) {
                heard.add(reply.command().keyword() + " " + reply.status() + " " + reply.bodyOctets());
            }

            @Override
            public void ended(SessionSummary summary) {
                heard.add("END");
            }
        };
        SessionInfo info = new SessionInfo("s1", "127.0.0.1:1", "pop3", "pop3://upstream");
        audit = new SessionAudit(new SessionFilters(List.of(new SessionFilters.Named("log", recorder)),
                failure -> { }), info);
        channel = new EmbeddedChannel(audit, new ChannelInboundHandlerAdapter());
        session = channel.pipeline().lastContext();
    }

    @AfterEach
    void stop() {
        for (Object out; (out = channel.readOutbound()) != null; ) {
            ReferenceCountUtil.release(out);
        }
        channel.finishAndReleaseAll();
    }

    private void handled(String line) {
        Pop3Command command = new Pop3Command(line);
        audit.refusal(command, new MaskedLine(command.keyword(), command.argument()), "alice");
    }

    @Test
    void aReplyIsReportedOnlyOnceTheFlushThatSendsItHasGone() {
        handled("STAT");
        handled("RETR 1");
        session.write(StatusLine.ok("1 12"));
        session.write(StatusLine.ok("12 octets"));
        session.write(new ContentChunk(Unpooled.copiedBuffer("Subject: x\r\n", StandardCharsets.US_ASCII)));
        session.write(EndOfMultiline.INSTANCE);
        assertThat(heard).as("written, not flushed").isEmpty();
        session.flush();
        assertThat(heard).containsExactly("STAT +OK 0", "RETR +OK 12");
        assertThat((Object) channel.readOutbound()).isNotNull();
    }

    @Test
    void whatWasWrittenIsReportedBeforeTheConnectionCloses() {
        handled("NOOP");
        handled("QUIT");
        session.write(StatusLine.ok(""));
        session.flush();
        session.write(StatusLine.ok("bye"));
        session.close();
        assertThat(heard).containsExactly("NOOP +OK 0", "QUIT +OK 0");
    }

    @Test
    void whatWasWrittenIsReportedBeforeTheSummary() {
        handled("NOOP");
        session.write(StatusLine.err("no"));
        audit.ended("alice", new SessionMetrics(ListenerMeters.NONE), null, null, null, SessionEnd.QUIT);
        assertThat(heard).containsExactly("NOOP -ERR 0", "END");
    }
}
