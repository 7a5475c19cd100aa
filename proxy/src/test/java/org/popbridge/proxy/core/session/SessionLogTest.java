package org.popbridge.proxy.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
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
import org.popbridge.proxy.cli.logging.SessionFieldsFilter;
import org.popbridge.proxy.config.LogFormat;
import org.popbridge.proxy.testing.RenderedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Two sessions served by one thread (EmbeddedChannels run on the caller's), their events
 * interleaved and even nested: every line carries the fields of the session it is about, and a
 * line logged between events carries none. As logback.xml configures it, the fields are
 * written into the MDC only when a line is made (SessionFieldsFilter); without that filter
 * each scope writes them, and the same holds.
 */
class SessionLogTest {

    private static final Logger log = LoggerFactory.getLogger(SessionLogTest.class);
    /** Lines about no session, between events. */
    private static final Logger between = LoggerFactory.getLogger(SessionLogTest.class.getName() + ".between");
    /** Debug lines where DEBUG is off, as most of a session's are. */
    private static final Logger quiet = LoggerFactory.getLogger(SessionLogTest.class.getName() + ".quiet");

    private final List<Runnable> later = new ArrayList<>();
    private final List<String> peeked = new ArrayList<>();
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
            if (command.equals("QUIET")) {
                quiet.debug("[{}] a line below the level", id);
                peeked.add(String.valueOf(MDC.get(SessionLog.SESSION)));
                return;
            }
            if (command.equals("PEEK")) {
                // What the MDC holds in a callback that has not logged yet.
                peeked.add(String.valueOf(MDC.get(SessionLog.SESSION)));
                return;
            }
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
            } else if (command.equals("CLEAR")) {
                // Whatever else empties the MDC, the next line still carries the session's fields.
                MDC.clear();
                log.info("[{}] after a cleared MDC", id);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            log.info("[{}] event {}", ctx.channel().id().asShortText(), event);
        }
    }

    @Test
    void interleavedSessionsOnOneThreadEachCarryOnlyTheirOwnFields() {
        interleave();
    }

    @Test
    void withoutTheFilterEachScopeWritesItsFieldsAndTakesThemOut() {
        SessionFieldsFilterSwitch.off(() -> {
            interleave();
            assertThat(MDC.getCopyOfContextMap() == null ? Map.of() : MDC.getCopyOfContextMap())
                    .as("MDC after the events").isEmpty();
        });
    }

    @Test
    void withTheFilterAScopeWritesNothingUntilALineIsMade() {
        assertThat(SessionFieldsFilterSwitch.active()).as("logback.xml's SessionFieldsFilter").isTrue();
        alice.writeInbound("USER alice");
        // The line above wrote alice's fields; bob's event makes no line, so they are still there.
        bob.writeInbound("PEEK");
        assertThat(peeked).containsExactly(id(alice));
        assertNoSessionBetweenEvents();
    }

    @Test
    void aLineBelowTheLevelShowsNoFieldsUnlessAnotherTurboFilterMightAcceptIt() {
        ch.qos.logback.classic.Logger quietLogger = (ch.qos.logback.classic.Logger) quiet;
        quietLogger.setLevel(ch.qos.logback.classic.Level.INFO);
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        TurboFilter mayAccept = new TurboFilter() {
            @Override
            public FilterReply decide(Marker marker, ch.qos.logback.classic.Logger logger,
                                      ch.qos.logback.classic.Level level, String format, Object[] params, Throwable t) {
                return FilterReply.NEUTRAL;
            }
        };
        try {
            MDC.clear();
            alice.writeInbound("QUIET");
            mayAccept.start();
            context.addTurboFilter(mayAccept);
            alice.writeInbound("QUIET");
        } finally {
            context.getTurboFilterList().remove(mayAccept);
            quietLogger.setLevel(null);
        }
        assertThat(peeked).as("the MDC after a debug line on a logger at INFO: alone, then with a second turbo filter")
                .containsExactly("null", id(alice));
        assertThat(lines.lines()).noneMatch(line -> line.contains("a line below the level"));
    }

    @Test
    void aLineAfterTheMdcWasClearedStillCarriesItsSessionsFields() {
        alice.writeInbound("CLEAR");

        JsonNode line = RenderedLog.parse(lines.lines().get(lines.lines().size() - 1));
        assertThat(line.path("formattedMessage").asText()).endsWith("after a cleared MDC");
        assertThat(line.path("mdc").path(SessionLog.SESSION).asText()).isEqualTo(id(alice));
    }

    private void interleave() {
        alice.writeInbound("USER alice");
        assertNoSessionBetweenEvents();
        bob.writeInbound("CAPA");
        assertNoSessionBetweenEvents();
        bob.writeInbound("USER bob");
        alice.writeInbound("ROUTE");
        bob.writeInbound("STAT");
        alice.writeInbound("STAT");
        assertNoSessionBetweenEvents();
        // A timer fired from the middle of the pipeline (idle, the login deadline) reaches the session in scope.
        alice.pipeline().context("middle").fireUserEventTriggered("idle");
        bob.pipeline().context("middle").fireUserEventTriggered("idle");
        assertNoSessionBetweenEvents();
        alice.writeInbound("POKE");
        bob.writeInbound("POKE");
        alice.writeInbound("LATER");
        bob.writeInbound("RUN-LATER");
        assertNoSessionBetweenEvents();

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
    void withoutASessionNothingIsCarriedAndNoLineGetsFields() {
        Runnable task = () -> { };
        assertThat(SessionLog.carried(task)).isSameAs(task);
        SessionLog.user("nobody");
        SessionLog.route("*");
        assertNoSessionBetweenEvents();
    }

    /** logback.xml's SessionFieldsFilter, stopped for a while. */
    private static final class SessionFieldsFilterSwitch {

        static boolean active() {
            return filter().isStarted();
        }

        /** Runs {@code body} with the filter stopped, as Logback stops it when its context resets. */
        static void off(Runnable body) {
            SessionFieldsFilter filter = filter();
            filter.stop();
            try {
                body.run();
            } finally {
                filter.start();
            }
        }

        private static SessionFieldsFilter filter() {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            return context.getTurboFilterList().stream()
                    .filter(SessionFieldsFilter.class::isInstance).map(SessionFieldsFilter.class::cast)
                    .findFirst().orElseThrow(() -> new AssertionError("logback.xml has no SessionFieldsFilter"));
        }
    }

    private static String id(EmbeddedChannel channel) {
        return channel.id().asShortText();
    }

    /** No session is current, and a line logged now carries no session's fields. */
    private void assertNoSessionBetweenEvents() {
        assertThat(SessionLog.current()).isNull();
        between.info("between events");
        JsonNode line = RenderedLog.parse(lines.lines().get(lines.lines().size() - 1));
        assertThat(line.path("formattedMessage").asText()).isEqualTo("between events");
        for (String field : List.of(SessionLog.SESSION, SessionLog.CLIENT, SessionLog.LISTENER, SessionLog.USER,
                SessionLog.ROUTE)) {
            assertThat(line.path("mdc").has(field)).as("%s between events", field).isFalse();
        }
    }
}
