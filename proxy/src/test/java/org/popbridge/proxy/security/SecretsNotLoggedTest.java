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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.popbridge.filters.FailurePolicy;
import org.popbridge.filters.FilterChain;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.builtin.HeadersProvider;
import org.popbridge.filters.builtin.LogProvider;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.LogFormat;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.core.filtering.MessageFiltering;
import org.popbridge.proxy.core.filtering.VerdictCache;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.RawSmtpClient;
import org.popbridge.proxy.testing.RenderedLog;
import org.popbridge.proxy.testing.ScriptedPop3Server;
import org.popbridge.proxy.testing.ScriptedSmtpServer;
import org.popbridge.proxy.testing.TokenAuthenticators;
import org.slf4j.LoggerFactory;

/**
 * Invariant 6: no password, AUTH data or APOP digest in any log line at any level, in either
 * format: every line is checked as text and, rendered when it was logged, as JSON (whose fields
 * add the session's user and route).
 */
class SecretsNotLoggedTest {

    private static final String PASSWORD = "Tr0ub4dor&3-horse";
    private static final String WRONG_PASSWORD = "wrong-Zebra-Staple-77";

    @TempDir
    Path stateDir;

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private RenderedLog json;
    private Level previousLevel;

    @BeforeEach
    void captureEverything() {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        previousLevel = root.getLevel();
        root.setLevel(Level.TRACE);
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("io.netty").setLevel(Level.TRACE);
        captured.start();
        root.addAppender(captured);
        json = RenderedLog.everything(LogFormat.JSON);
    }

    @AfterEach
    void restore() {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(captured);
        json.close();
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
        assertNoJsonLineContains(PASSWORD, WRONG_PASSWORD, apopDigest, plainInitial, plainWrong, loginPassword,
                plainInitial.substring(0, 10));
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
        assertNoJsonLineContains(PASSWORD, WRONG_PASSWORD, plainInitial, plainWrong, loginPassword,
                plainInitial.substring(0, 10));
    }

    /**
     * PASS glued to its password by TAB, VT, FF, NBSP (the octet 0xA0) or ':' is no command, so
     * it is refused; its line still reaches the session log and the audit, and the password must
     * not (issue 12). Upper-cased as a keyword, it is still the password: compared ignoring case.
     */
    @ParameterizedTest(name = "PASS [{0}] password")
    @ValueSource(strings = {"\t", "\u000b", "\f", "\u00a0", ":"})
    void aPasswordAfterAnySeparatorIsMasked(String separator) throws Exception {
        try (ScriptedPop3Server upstream = new ScriptedPop3Server("alice", PASSWORD, List.of());
                ProxyFixture proxy = ProxyFixture.filtering(upstream.port(), stateDir, auditingChain())) {
            session(proxy, client -> {
                assertThat(client.command("USER alice")).startsWith("+OK");
                client.sendRaw("PASS" + separator + PASSWORD + "\r\n");
                assertThat(client.readLine()).startsWith("-ERR");
            });
        }
        assertNothingLoggedContainsIgnoringCase(PASSWORD);
        assertThat(audited()).anyMatch(line -> line.contains("command=\"PASS ****\" status=-ERR"));
    }

    /** A client that sends its password on a line by itself: the line is shown by its length only. */
    @Test
    void aPasswordSentAloneIsNotLogged() throws Exception {
        try (ScriptedPop3Server upstream = new ScriptedPop3Server("alice", PASSWORD, List.of());
                ProxyFixture proxy = ProxyFixture.filtering(upstream.port(), stateDir, auditingChain())) {
            session(proxy, client -> {
                assertThat(client.command("USER alice")).startsWith("+OK");
                assertThat(client.command(PASSWORD)).startsWith("-ERR");
            });
        }
        assertNothingLoggedContainsIgnoringCase(PASSWORD);
        assertThat(audited()).anyMatch(line -> line.contains(
                "command=\"<unrecognised line of " + PASSWORD.length() + " octets>\" status=-ERR"));
    }

    /**
     * On a listener that requires TLS first, AUTH is refused before any challenge; a client that
     * does not read the refusal sends its SASL responses anyway. They are no commands, and are
     * masked whole, even one that looks like a command word ("aHVudGVy" is "hunter" in base64).
     */
    @Test
    void saslResponsesAfterAnAuthRefusedForWantOfTlsAreNotLogged() throws Exception {
        String plainInitial = base64("\0alice\0" + PASSWORD);
        String lettersOnly = base64("hunter");
        assertThat(lettersOnly).matches("[A-Za-z]+");
        try (ScriptedPop3Server upstream = new ScriptedPop3Server("alice", PASSWORD, List.of());
                ProxyFixture proxy = ProxyFixture.start(PopbridgeConfig.defaults()
                        .withListen(List.of(ListenerConfig.of("pop3://127.0.0.1:0", true)))
                        .withUpstream(UpstreamConfig.parse("pop3://127.0.0.1:" + upstream.port()))
                        .withStateDir(stateDir), auditingChain())) {
            session(proxy, client -> {
                assertThat(client.command("AUTH PLAIN")).startsWith("-ERR [AUTH]");
                assertThat(client.command(plainInitial)).startsWith("-ERR");
            });
            session(proxy, client -> {
                assertThat(client.command("AUTH LOGIN")).startsWith("-ERR [AUTH]");
                assertThat(client.command(base64("alice"))).startsWith("-ERR");
                assertThat(client.command(lettersOnly)).startsWith("-ERR");
                // The next command ends the aftermath, and shows again.
                assertThat(client.command("NOOP")).startsWith("-ERR");
            });
        }
        assertNothingLoggedContainsIgnoringCase(plainInitial, lettersOnly, base64("alice"));
        assertThat(audited()).anyMatch(line -> line.contains("command=**** status=-ERR"))
                .anyMatch(line -> line.contains("command=NOOP status=-ERR"));
    }

    /** The same on an SMTP listener: AUTH refused with 538 before TLS, or 503 before EHLO. */
    @Test
    void smtpSaslResponsesAfterARefusedAuthAreNotLogged() throws Exception {
        String plainInitial = base64("\0alice\0" + PASSWORD);
        String lettersOnly = base64("hunter");
        try (ScriptedSmtpServer server = new ScriptedSmtpServer("alice", PASSWORD)) {
            String yaml = """
                    listen:
                      - url: smtp://127.0.0.1:0
                        require-tls-for-auth: true
                    submission: smtp://127.0.0.1:%d
                    state-dir: %s
                    filters:
                      - log: {}
                    """.formatted(server.port(), stateDir);
            PopbridgeConfig config = new ConfigLoader().load(Path.of("smtp.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
            try (ProxyFixture proxy = ProxyFixture.start(config)) {
                try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(0).getPort())) {
                    assertThat(client.reply()).startsWith("220 ");
                    assertThat(client.command("AUTH PLAIN")).startsWith("503 ");
                    assertThat(client.command(plainInitial)).startsWith("500 ");
                    assertThat(client.command("EHLO client.example")).startsWith("250");
                    assertThat(client.command("AUTH PLAIN")).startsWith("538 ");
                    assertThat(client.command(plainInitial)).startsWith("500 ");
                    assertThat(client.command("AUTH LOGIN")).startsWith("538 ");
                    assertThat(client.command(base64("alice"))).startsWith("500 ");
                    assertThat(client.command(lettersOnly)).startsWith("500 ");
                    assertThat(client.command("QUIT")).startsWith("221 ");
                }
            }
            assertThat(server.connectionsAccepted()).isZero();
        }
        assertNothingLoggedContainsIgnoringCase(PASSWORD, plainInitial, lettersOnly, base64("alice"));
        assertThat(audited()).anyMatch(line -> line.contains("command=**** status=500"));
    }

    /**
     * auth: oauth2: neither the local password the client logs in with nor the access token sent
     * upstream (nor its SASL message) is logged, through POP3 (short and long tokens, a refused
     * one) and SMTP, at TRACE.
     */
    @Test
    void bearerLoginsLeaveNoPasswordOrTokenInTheLogs() throws Exception {
        String token = "ya29.SECRET-access-token-" + "q".repeat(300);
        String refused = "ya29.REFUSED-access-token-7e1";
        String xoauth2 = base64("user=alice@example.com\u0001auth=Bearer " + token + "\u0001\u0001");
        TokenAuthenticators tokens = new TokenAuthenticators()
                .enrol("alice@example.com", PASSWORD, token).enrol("bob@example.com", WRONG_PASSWORD, refused);
        try (ScriptedPop3Server pop3 = new ScriptedPop3Server("nobody", "unused", List.of())
                        .capabilities(List.of("SASL XOAUTH2", "RESP-CODES")).acceptToken("alice@example.com", token);
                ScriptedSmtpServer smtp = new ScriptedSmtpServer("nobody", "unused")
                        .extensions(List.of("AUTH XOAUTH2")).acceptToken("alice@example.com", token)) {
            String yaml = """
                    listen: [pop3://127.0.0.1:0, smtp://127.0.0.1:0]
                    upstream:
                      url: pop3://127.0.0.1:%d
                      auth: oauth2
                      provider: {type: google, client-id: popbridge-test}
                    submission:
                      url: smtp://127.0.0.1:%d
                      auth: oauth2
                      provider: {type: google, client-id: popbridge-test}
                    limits: {auth-failure-delay: 0s}
                    state-dir: %s
                    """.formatted(pop3.port(), smtp.port(), stateDir);
            PopbridgeConfig config = new ConfigLoader().load(Path.of("bearer.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
            try (ProxyFixture proxy = ProxyFixture.start(config, tokens)) {
                session(proxy, client -> {
                    client.login("alice@example.com", PASSWORD);
                    RawPop3Client.expectOk(client.command("STAT"));
                });
                session(proxy, client -> {
                    RawPop3Client.expectOk(client.command("USER bob@example.com"));
                    assertThat(client.command("PASS " + WRONG_PASSWORD)).startsWith("-ERR [AUTH]");
                });
                session(proxy, client -> {
                    assertThat(client.command("AUTH PLAIN " + base64("\0alice@example.com\0" + WRONG_PASSWORD)))
                            .startsWith("-ERR [AUTH]");
                });
                try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(1).getPort())) {
                    assertThat(client.logIn("alice@example.com", PASSWORD)).startsWith("235 ");
                }
            }
        }
        assertThat(captured.list).filteredOn(event -> event.getFormattedMessage().contains("with an access token"))
                .isNotEmpty();
        assertNothingLoggedContainsIgnoringCase(PASSWORD, WRONG_PASSWORD, token, refused, xoauth2,
                base64("\0alice@example.com\0" + PASSWORD), xoauth2.substring(0, 40));
    }

    private List<String> audited() {
        return captured.list.stream().filter(event -> event.getLoggerName().equals(LogProvider.DEFAULT_LOGGER))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    private void assertNothingLoggedContainsIgnoringCase(String... secrets) {
        assertThat(captured.list).as("the proxy logged at all").isNotEmpty();
        for (ILoggingEvent event : captured.list) {
            String text = event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            for (String secret : secrets) {
                assertThat(text).as("log line: %s", text).doesNotContainIgnoringCase(secret);
            }
        }
        assertNoJsonLineContains(secrets);
    }

    /** The same lines in the JSON format, fields and all, as written and as a reader decodes them. */
    private void assertNoJsonLineContains(String... secrets) {
        assertThat(json.lines()).as("the proxy logged JSON at all").isNotEmpty();
        for (String line : json.lines()) {
            // Logback writes '/' as '\/'; Jackson's rendering of the parsed line does not.
            String decoded = RenderedLog.parse(line).toString();
            for (String secret : secrets) {
                assertThat(line).as("JSON line: %s", line).doesNotContainIgnoringCase(secret);
                assertThat(decoded).as("JSON line: %s", line).doesNotContainIgnoringCase(secret);
            }
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
