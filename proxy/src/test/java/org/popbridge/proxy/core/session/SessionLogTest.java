package org.popbridge.proxy.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.popbridge.proxy.config.LogFormat;
import org.popbridge.proxy.testing.RenderedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Two sessions served by one thread (EmbeddedChannels run on the caller's), their events
 * interleaved and even nested: every line carries the fields of the session it is about, and
 * none is left in the MDC between events.
 */
class SessionLogTest {

    private static final Logger log = LoggerFactory.getLogger(SessionLogTest.class);

    private final List<Runnable> later = new ArrayList<>();
    private RenderedLog lines;
    private EmbeddedChannel alice;
    private EmbeddedChannel bob;

    @BeforeEach
    void twoSessions() {
        lines = RenderedLog.everything(LogFormat.JSON);
        alice = session("pop3://127.0.0.1:110");
        bob = session("smtp://127.0.0.1:587");
    }

    @AfterEach
    void close() {
        lines.close();
        alice.finishAndReleaseAll();
        bob.finishAndReleaseAll();
    }

    /** A client pipeline as a listener builds it: the scope first, a handler, the inner scope, the session. */
    private EmbeddedChannel session(String listener) {
        // Each its own id, as sockets have: an EmbeddedChannel's default one is the same for all.
        EmbeddedChannel channel = new EmbeddedChannel(DefaultChannelId.newInstance());
        SessionLogScope.front(channel.pipeline(), listener);
        channel.pipeline().addLast("middle", new ChannelInboundHandlerAdapter());
        SessionLogScope.inner(channel.pipeline());
        channel.pipeline().addLast("session", new Session());
        return channel;
    }

    /** Logs every event as the real sessions do ("[id] ..."), and acts on a few commands. */
    private final class Session extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            String id = ctx.channel().id().asShortText();
            String command = (String) msg;
            log.info("[{}] C: {}", id, command);
            if (command.startsWith("USER ")) {
                SessionLog.user(command.substring(5));
                log.info("[{}] user given", id);
            } else if (command.equals("ROUTE")) {
                SessionLog.route("*@example.com");
            } else if (command.equals("POKE")) {
                // Another session's event inside this one's: it must not see this one's fields, nor change them.
                (ctx.channel() == alice ? bob : alice).writeInbound("NESTED");
                log.info("[{}] after the nested event", id);
            } else if (command.equals("LATER")) {
                later.add(SessionLog.carried(() -> log.info("[{}] carried task", id)));
            } else if (command.equals("RUN-LATER")) {
                later.forEach(Runnable::run);
                log.info("[{}] after the carried task", id);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            log.info("[{}] event {}", ctx.channel().id().asShortText(), event);
        }
    }

    @Test
    void interleavedSessionsOnOneThreadEachCarryOnlyTheirOwnFields() {
        alice.writeInbound("USER alice");
        assertMdcEmpty();
        bob.writeInbound("CAPA");
        assertMdcEmpty();
        bob.writeInbound("USER bob");
        alice.writeInbound("ROUTE");
        bob.writeInbound("STAT");
        alice.writeInbound("STAT");
        assertMdcEmpty();
        // A timer fired from the middle of the pipeline (idle, the login deadline) reaches the session in scope.
        alice.pipeline().context("middle").fireUserEventTriggered("idle");
        bob.pipeline().context("middle").fireUserEventTriggered("idle");
        assertMdcEmpty();
        alice.writeInbound("POKE");
        bob.writeInbound("POKE");
        alice.writeInbound("LATER");
        bob.writeInbound("RUN-LATER");
        assertMdcEmpty();

        List<JsonNode> json = lines.lines().stream().map(RenderedLog::parse)
                .filter(line -> line.path("loggerName").asText().equals(SessionLogTest.class.getName())).toList();
        assertThat(json).hasSize(20);
        Map<String, String> users = Map.of(id(alice), "alice", id(bob), "bob");
        for (JsonNode line : json) {
            String message = line.path("formattedMessage").asText();
            String id = message.substring(1, message.indexOf(']'));
            JsonNode mdc = line.path("mdc");
            assertThat(mdc.path(SessionLog.SESSION).asText()).as(message).isEqualTo(id);
            assertThat(mdc.path(SessionLog.LISTENER).asText()).as(message)
                    .isEqualTo(id.equals(id(alice)) ? "pop3://127.0.0.1:110" : "smtp://127.0.0.1:587");
            assertThat(mdc.path(SessionLog.CLIENT).asText()).as(message).isEqualTo("127.0.0.1:0");
            if (mdc.has(SessionLog.USER)) {
                assertThat(mdc.path(SessionLog.USER).asText()).as(message).isEqualTo(users.get(id));
            }
            if (mdc.has(SessionLog.ROUTE)) {
                assertThat(id).as("only alice took a route: %s", message).isEqualTo(id(alice));
            }
        }
        // The user is a field from the line that gives it on, in the same callback and in later ones.
        assertThat(json).filteredOn(line -> line.path("formattedMessage").asText().endsWith("user given"))
                .allMatch(line -> line.path("mdc").has(SessionLog.USER));
        assertThat(json).filteredOn(line -> line.path("formattedMessage").asText().startsWith("[" + id(bob) + "] C: STAT"))
                .singleElement().satisfies(line -> assertThat(line.path("mdc").path(SessionLog.USER).asText())
                        .isEqualTo("bob"));
        assertThat(json).filteredOn(line -> line.path("formattedMessage").asText().startsWith("[" + id(bob) + "] C: CAPA"))
                .singleElement().satisfies(line -> assertThat(line.path("mdc").has(SessionLog.USER)).isFalse());
        assertThat(json).filteredOn(line -> line.path("formattedMessage").asText().endsWith("] carried task")).hasSize(1);
    }

    @Test
    void aUserNameIsAFieldAsTheLogShowsItEscaped() {
        alice.writeInbound("USER \u001b[2Jmallory");

        JsonNode line = RenderedLog.parse(lines.lines().get(lines.lines().size() - 1));
        assertThat(line.path("mdc").path(SessionLog.USER).asText()).isEqualTo("\\e[2Jmallory");
    }

    @Test
    void withoutASessionNothingIsCarriedAndTheMdcStaysEmpty() {
        Runnable task = () -> { };
        assertThat(SessionLog.carried(task)).isSameAs(task);
        SessionLog.user("nobody");
        SessionLog.route("*");
        assertMdcEmpty();
    }

    private static String id(EmbeddedChannel channel) {
        return channel.id().asShortText();
    }

    private static void assertMdcEmpty() {
        Map<String, String> left = MDC.getCopyOfContextMap();
        assertThat(left == null ? Map.of() : left).as("MDC between events").isEmpty();
        assertThat(SessionLog.current()).isNull();
    }
}
