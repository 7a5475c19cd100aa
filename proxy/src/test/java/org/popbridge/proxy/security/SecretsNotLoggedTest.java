package org.popbridge.proxy.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.popbridge.filters.FailurePolicy;
import org.popbridge.filters.FilterChain;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.builtin.HeadersProvider;
import org.popbridge.filters.builtin.LogProvider;
import org.popbridge.proxy.core.filtering.MessageFiltering;
import org.popbridge.proxy.core.filtering.VerdictCache;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;
import org.slf4j.LoggerFactory;

/** Invariant 6: no password, AUTH data or APOP digest in any log line at any level. */
class SecretsNotLoggedTest {

    private static final String PASSWORD = "Tr0ub4dor&3-horse";
    private static final String WRONG_PASSWORD = "wrong-Zebra-Staple-77";

    @TempDir
    Path stateDir;

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Level previousLevel;

    @BeforeEach
    void captureEverything() {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        previousLevel = root.getLevel();
        root.setLevel(Level.TRACE);
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("io.netty").setLevel(Level.TRACE);
        captured.start();
        root.addAppender(captured);
    }

    @AfterEach
    void restore() {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(captured);
        root.setLevel(previousLevel);
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("io.netty").setLevel(Level.WARN);
    }

    /** With filters on, the audit log and the filtering session log as well; neither may leak. */
    @ParameterizedTest(name = "filters on: {0}")
    @ValueSource(booleans = {false, true})
    void everyLoginMethodLeavesNoSecretInTheLogs(boolean filtersOn) throws Exception {
        String plainInitial = base64("\0alice\0" + PASSWORD);
        String plainWrong = base64("\0alice\0" + WRONG_PASSWORD);
        String loginUser = base64("alice");
        String loginPassword = base64(PASSWORD);
        String apopDigest = ScriptedPop3Server.apopDigest(PASSWORD);
        try (ScriptedPop3Server upstream = new ScriptedPop3Server("alice", PASSWORD,
                        List.of(MessageSource.of("Subject: x\r\n\r\ny\r\n")));
                ProxyFixture proxy = filtersOn
                        ? ProxyFixture.filtering(upstream.port(), stateDir, auditingChain())
                        : ProxyFixture.inFrontOfWithApop(upstream.port(), stateDir)) {
            session(proxy, client -> {
                client.login("alice", PASSWORD);
                RawPop3Client.expectOk(client.command("STAT"));
            });
            session(proxy, client -> assertThat(client.command("USER alice")).startsWith("+OK")
                    .satisfies(ignored -> assertThat(client.command("PASS " + WRONG_PASSWORD)).startsWith("-ERR")));
            // APOP is offered only with apop: true; refused or not, the digest must not be logged.
            session(proxy, client -> assertThat(client.command("APOP alice " + apopDigest))
                    .startsWith(filtersOn ? "-ERR" : "+OK"));
            session(proxy, client -> RawPop3Client.expectOk(client.command("AUTH PLAIN " + plainInitial)));
            session(proxy, client -> {
                assertThat(client.command("AUTH PLAIN")).startsWith("+ ");
                assertThat(client.command(plainWrong)).startsWith("-ERR");
            });
            session(proxy, client -> {
                assertThat(client.command("AUTH LOGIN")).startsWith("+ ");
                assertThat(client.command(loginUser)).startsWith("+ ");
                RawPop3Client.expectOk(client.command(loginPassword));
            });
            session(proxy, client -> {
                // Pipelined credentials, and a password sent in the wrong state.
                client.sendRaw("USER alice\r\nPASS " + PASSWORD + "\r\nPASS " + PASSWORD + "\r\n");
                RawPop3Client.expectOk(client.readLine());
                RawPop3Client.expectOk(client.readLine());
                assertThat(client.readLine()).startsWith("-ERR");
            });
            // A session cut in the middle of AUTH, so the failure paths log too.
            try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
                RawPop3Client.expectOk(client.readLine());
                assertThat(client.command("AUTH PLAIN")).startsWith("+ ");
                client.sendRaw(plainInitial.substring(0, 10));
            }
            // With apop: true every session reaches the server; without, those that never log in do not.
            assertThat(upstream.awaitSessionsEnded(filtersOn ? 6 : 8, 10_000)).isTrue();
        }
        assertThat(captured.list).as("the proxy logged at all").isNotEmpty();
        if (filtersOn) {
            assertThat(captured.list).as("the audit log wrote the logins")
                    .anyMatch(event -> event.getLoggerName().equals(LogProvider.DEFAULT_LOGGER)
                            && event.getFormattedMessage().contains("command=\"PASS ****\""));
        }
        // USER/PASS, APOP, AUTH PLAIN with an initial response and AUTH LOGIN name the user in the log.
        assertThat(captured.list).filteredOn(event -> event.getFormattedMessage().endsWith("user alice logged in"))
                .hasSize(filtersOn ? 4 : 5);
        assertThat(captured.list).noneMatch(event -> event.getFormattedMessage().endsWith("user - logged in"));
        for (ILoggingEvent event : captured.list) {
            String text = event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            assertThat(text).as("log line: %s", text).doesNotContain(PASSWORD, WRONG_PASSWORD, apopDigest,
                    plainInitial, plainWrong, loginPassword, plainInitial.substring(0, 10));
        }
    }

    /** The same logins to an IMAP upstream, where popbridge builds LOGIN from them itself. */
    @ParameterizedTest(name = "filters on: {0}")
    @ValueSource(booleans = {false, true})
    void loginsTranslatedToImapLeaveNoSecretInTheLogs(boolean filtersOn) throws Exception {
        String plainInitial = base64("\0alice\0" + PASSWORD);
        String plainWrong = base64("\0alice\0" + WRONG_PASSWORD);
        String loginPassword = base64(PASSWORD);
        GreenMail imap = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort());
        imap.start();
        try {
            imap.setUser("alice@localhost", "alice", PASSWORD);
            int port = imap.getImap().getPort();
            try (ProxyFixture proxy = filtersOn ? ProxyFixture.filteringImap(port, stateDir, auditingChain())
                    : ProxyFixture.inFrontOfImap(port, stateDir)) {
                session(proxy, client -> {
                    client.login("alice", PASSWORD);
                    RawPop3Client.expectOk(client.command("STAT"));
                });
                session(proxy, client -> assertThat(client.command("USER alice")).startsWith("+OK")
                        .satisfies(ignored -> assertThat(client.command("PASS " + WRONG_PASSWORD)).startsWith("-ERR")));
                session(proxy, client -> RawPop3Client.expectOk(client.command("AUTH PLAIN " + plainInitial)));
                session(proxy, client -> {
                    assertThat(client.command("AUTH PLAIN")).startsWith("+ ");
                    assertThat(client.command(plainWrong)).startsWith("-ERR");
                });
                session(proxy, client -> {
                    assertThat(client.command("AUTH LOGIN")).startsWith("+ ");
                    assertThat(client.command(base64("alice"))).startsWith("+ ");
                    RawPop3Client.expectOk(client.command(loginPassword));
                });
                try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
                    RawPop3Client.expectOk(client.readLine());
                    assertThat(client.command("AUTH PLAIN")).startsWith("+ ");
                    client.sendRaw(plainInitial.substring(0, 10));
                }
            }
        } finally {
            imap.stop();
        }
        assertThat(captured.list).filteredOn(event -> event.getFormattedMessage().endsWith("user alice logged in"))
                .hasSize(3);
        for (ILoggingEvent event : captured.list) {
            String text = event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            assertThat(text).as("log line: %s", text).doesNotContain(PASSWORD, WRONG_PASSWORD, plainInitial, plainWrong,
                    loginPassword, plainInitial.substring(0, 10));
        }
    }

    private static MessageFiltering auditingChain() {
        FilterChain chain = new FilterChain(List.of(
                new FilterChain.Entry("log", new LogProvider().configure(FilterSettings.empty("/filters/0/log"))),
                new FilterChain.Entry("headers", new HeadersProvider().configure(FilterSettings.of(
                        java.util.Map.of("add", java.util.Map.of("X-Checked", "yes")), "/filters/1/headers")))),
                FailurePolicy.OPEN, Duration.ofSeconds(5));
        return new MessageFiltering(chain, new VerdictCache(1 << 20, Duration.ofHours(1)), 64 * 1024, true);
    }

    private interface Conversation {
        void run(RawPop3Client client) throws Exception;
    }

    private static void session(ProxyFixture proxy, Conversation conversation) throws Exception {
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            conversation.run(client);
            client.send("QUIT");
            client.readLine();
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
