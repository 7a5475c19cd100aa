package org.popbridge.proxy.bearer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.core.upstream.UpstreamAuthFailure;
import org.popbridge.proxy.server.ProxyServer;
import org.popbridge.proxy.testing.BearerImapMailbox;
import org.popbridge.proxy.testing.LogCapture;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.RawSmtpClient;
import org.popbridge.proxy.testing.ScriptedImapServer;
import org.popbridge.proxy.testing.ScriptedPop3Server;
import org.popbridge.proxy.testing.ScriptedSmtpServer;
import org.popbridge.proxy.testing.TokenAuthenticators;

/**
 * auth: oauth2: the client logs in with its usual name and password; popbridge asks the route's
 * authenticator (here a stand-in for the oauth module) for an access token and logs in upstream
 * with SASL XOAUTH2 or OAUTHBEARER: POP3 AUTH, IMAP AUTHENTICATE, SMTP AUTH. The server is
 * contacted only once a token is had; each way of failing has its reply and log line.
 */
class BearerLoginTest {

    private static final String USER = "alice@example.com";
    private static final String LOCAL_PASSWORD = "local-Horse-Battery-9";
    private static final String TOKEN = "ya29.a0AfH6SMB-short-token";
    /** Longer than RFC 2449's 255-octet command line once in an AUTH: sent after the empty challenge. */
    private static final String LONG_TOKEN = "eyJ0eXAiOiJKV1QiLCJub25jZSI6" + "x".repeat(1400);

    @TempDir
    Path stateDir;

    private PopbridgeConfig config(String upstream, String submission) throws Exception {
        String yaml = """
                listen: [pop3://127.0.0.1:0, smtp://127.0.0.1:0]
                upstream:
                  url: %s
                  auth: oauth2
                  provider: {type: google, client-id: popbridge-test}
                submission:
                  url: %s
                  auth: oauth2
                  provider: {type: google, client-id: popbridge-test}
                limits:
                  auth-failure-delay: 0s
                state-dir: %s
                """.formatted(upstream, submission, stateDir);
        return new ConfigLoader().load(Path.of("bearer.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String decoded(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest(name = "a token of {0} octets")
    @ValueSource(ints = {26, 1428})
    void aPop3UserAndPassBecomeAuthXoauth2Upstream(int length) throws Exception {
        String token = length == TOKEN.length() ? TOKEN : LONG_TOKEN;
        assertThat(token).hasSize(length);
        try (ScriptedPop3Server server = new ScriptedPop3Server("nobody", "unused",
                        List.of(MessageSource.of("Subject: hi\r\n\r\nbody\r\n")))
                        .capabilities(List.of("UIDL", "TOP", "SASL PLAIN XOAUTH2", "RESP-CODES", "AUTH-RESP-CODE"))
                        .acceptToken(USER, token);
                ProxyFixture proxy = ProxyFixture.start(config("pop3://127.0.0.1:" + server.port(), "smtp://127.0.0.1:1"),
                        new TokenAuthenticators().enrol(USER, LOCAL_PASSWORD, token));
                RawPop3Client client = RawPop3Client.plain(proxy.address(0).getPort())) {
            RawPop3Client.expectOk(client.readLine());
            assertThat(server.connectionsAccepted()).as("no server before the login").isZero();
            RawPop3Client.expectOk(client.command("USER " + USER));
            RawPop3Client.expectOk(client.command("PASS " + LOCAL_PASSWORD));
            assertThat(client.command("STAT")).isEqualTo("+OK 1 " + "Subject: hi\r\n\r\nbody\r\n".length());

            List<String> seen = server.commandsSeen();
            assertThat(seen).noneMatch(line -> line.startsWith("USER") || line.startsWith("PASS"))
                    .noneMatch(line -> line.contains(LOCAL_PASSWORD));
            String auth = seen.stream().filter(line -> line.startsWith("AUTH")).findFirst().orElseThrow();
            String response;
            if (length < 200) {
                // Within 255 octets: the initial response on the command line.
                assertThat(auth).startsWith("AUTH XOAUTH2 ");
                response = auth.substring("AUTH XOAUTH2 ".length());
            } else {
                // RFC 5034 section 4: too long for the line, so after the server's empty challenge.
                assertThat(auth).isEqualTo("AUTH XOAUTH2");
                response = seen.get(seen.indexOf(auth) + 1);
            }
            assertThat(decoded(response)).isEqualTo("user=" + USER + "\u0001auth=Bearer " + token + "\u0001\u0001");
        }
    }

    @Test
    void aPop3AuthPlainBecomesOauthbearerWhereTheServerOffersIt() throws Exception {
        try (ScriptedPop3Server server = new ScriptedPop3Server("nobody", "unused", List.of())
                        .capabilities(List.of("UIDL", "SASL PLAIN OAUTHBEARER XOAUTH2", "RESP-CODES"))
                        .acceptToken(USER, TOKEN);
                ProxyFixture proxy = ProxyFixture.start(config("pop3://127.0.0.1:" + server.port(), "smtp://127.0.0.1:1"),
                        new TokenAuthenticators().enrol(USER, LOCAL_PASSWORD, TOKEN));
                RawPop3Client client = RawPop3Client.plain(proxy.address(0).getPort())) {
            RawPop3Client.expectOk(client.readLine());
            RawPop3Client.expectOk(client.command("AUTH PLAIN " + plain(USER, LOCAL_PASSWORD)));

            String auth = server.commandsSeen().stream().filter(line -> line.startsWith("AUTH")).findFirst().orElseThrow();
            assertThat(auth).startsWith("AUTH OAUTHBEARER ");
            assertThat(decoded(auth.substring("AUTH OAUTHBEARER ".length()))).isEqualTo("n,a=" + USER + ",\u0001host=127.0.0.1"
                    + "\u0001port=" + server.port() + "\u0001auth=Bearer " + TOKEN + "\u0001\u0001");
        }
    }

    /** The server refuses the token: its error challenge is answered, and its -ERR is the client's, as a failed login. */
    @Test
    void aPop3ServerRefusingTheTokenRefusesTheLogin() throws Exception {
        try (ScriptedPop3Server server = new ScriptedPop3Server("nobody", "unused", List.of())
                        .capabilities(List.of("SASL XOAUTH2", "RESP-CODES", "AUTH-RESP-CODE"))
                        .acceptToken(USER, "the-token-the-server-wants");
                ProxyFixture proxy = ProxyFixture.start(config("pop3://127.0.0.1:" + server.port(), "smtp://127.0.0.1:1"),
                        new TokenAuthenticators().enrol(USER, LOCAL_PASSWORD, TOKEN));
                RawPop3Client client = RawPop3Client.plain(proxy.address(0).getPort())) {
            RawPop3Client.expectOk(client.readLine());
            RawPop3Client.expectOk(client.command("USER " + USER));
            assertThat(client.command("PASS " + LOCAL_PASSWORD)).isEqualTo("-ERR [AUTH] invalid token");
            // The client may try again, and the session goes on.
            assertThat(client.command("NOOP")).startsWith("-ERR");
            List<String> seen = server.commandsSeen();
            // After the challenge the server got the empty response XOAUTH2 answers an error with.
            assertThat(seen).containsSubsequence(seen.stream().filter(l -> l.startsWith("AUTH XOAUTH2")).findFirst()
                    .orElseThrow(), "");
        }
    }

    @ParameterizedTest(name = "SASL-IR offered: {0}")
    @ValueSource(booleans = {true, false})
    void anImapRouteLogsInWithAuthenticateXoauth2(boolean saslIr) throws Exception {
        BearerImapMailbox mailbox = new BearerImapMailbox(USER, TOKEN,
                "IMAP4rev1 LOGINDISABLED AUTH=XOAUTH2" + (saslIr ? " SASL-IR" : ""));
        try (ScriptedImapServer server = new ScriptedImapServer(mailbox.greeting(), mailbox);
                ProxyFixture proxy = ProxyFixture.start(config("imap://127.0.0.1:" + server.port(), "smtp://127.0.0.1:1"),
                        new TokenAuthenticators().enrol(USER, LOCAL_PASSWORD, TOKEN));
                RawPop3Client client = RawPop3Client.plain(proxy.address(0).getPort())) {
            RawPop3Client.expectOk(client.readLine());
            RawPop3Client.expectOk(client.command("AUTH PLAIN " + plain(USER, LOCAL_PASSWORD)));
            RawPop3Client.expectOk(client.command("RETR 1"));
            assertThat(new String(client.readBody(), StandardCharsets.ISO_8859_1)).isEqualTo(BearerImapMailbox.MESSAGE + ".\r\n");

            String authenticate = server.received().stream().filter(line -> line.contains(" AUTHENTICATE "))
                    .findFirst().orElseThrow();
            String response = saslIr ? authenticate.substring(authenticate.indexOf("XOAUTH2 ") + "XOAUTH2 ".length())
                    : mailbox.saslLines().get(0);
            assertThat(authenticate).contains("AUTHENTICATE XOAUTH2");
            assertThat(mailbox.saslLines()).hasSize(saslIr ? 0 : 1);
            assertThat(decoded(response)).isEqualTo("user=" + USER + "\u0001auth=Bearer " + TOKEN + "\u0001\u0001");
        }
    }

    @Test
    void anImapServerRefusingTheTokenRefusesTheLogin() throws Exception {
        BearerImapMailbox mailbox = new BearerImapMailbox(USER, "another-token", "IMAP4rev1 SASL-IR AUTH=XOAUTH2");
        try (ScriptedImapServer server = new ScriptedImapServer(mailbox.greeting(), mailbox);
                ProxyFixture proxy = ProxyFixture.start(config("imap://127.0.0.1:" + server.port(), "smtp://127.0.0.1:1"),
                        new TokenAuthenticators().enrol(USER, LOCAL_PASSWORD, TOKEN));
                RawPop3Client client = RawPop3Client.plain(proxy.address(0).getPort())) {
            RawPop3Client.expectOk(client.readLine());
            RawPop3Client.expectOk(client.command("USER " + USER));
            assertThat(client.command("PASS " + LOCAL_PASSWORD)).isEqualTo("-ERR [AUTH] Authentication failed");
            // The error challenge was answered with the empty response, and the server said NO.
            assertThat(mailbox.saslLines()).containsExactly("");
        }
    }

    @Test
    void smtpAuthPlainBecomesAuthXoauth2AndARefusedTokenIs535() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer("nobody", "unused")
                        .extensions(List.of("AUTH PLAIN LOGIN XOAUTH2", "ENHANCEDSTATUSCODES"))
                        .acceptToken(USER, TOKEN);
                ProxyFixture proxy = ProxyFixture.start(config("pop3://127.0.0.1:1", "smtp://127.0.0.1:" + server.port()),
                        new TokenAuthenticators().enrol(USER, LOCAL_PASSWORD, TOKEN)
                                .enrol("bob@example.com", "bobs-local", "revoked-at-the-server"));
                RawSmtpClient client = RawSmtpClient.plain(proxy.address(1).getPort())) {
            assertThat(client.reply()).startsWith("220 ");
            assertThat(client.command("EHLO client.example")).startsWith("250");
            assertThat(client.command("AUTH PLAIN " + plain(USER, LOCAL_PASSWORD))).startsWith("235 ");
            String auth = server.commandsSeen().stream().filter(line -> line.startsWith("AUTH")).findFirst().orElseThrow();
            assertThat(auth).startsWith("AUTH XOAUTH2 ");
            assertThat(decoded(auth.substring("AUTH XOAUTH2 ".length())))
                    .isEqualTo("user=" + USER + "\u0001auth=Bearer " + TOKEN + "\u0001\u0001");
            assertThat(server.commandsSeen()).noneMatch(line -> line.contains(plain(USER, LOCAL_PASSWORD)));
        }
        try (ScriptedSmtpServer server = new ScriptedSmtpServer("nobody", "unused")
                        .extensions(List.of("AUTH XOAUTH2", "ENHANCEDSTATUSCODES"))
                        .acceptToken(USER, "the-token-the-server-wants");
                ProxyFixture proxy = ProxyFixture.start(config("pop3://127.0.0.1:1", "smtp://127.0.0.1:" + server.port()),
                        new TokenAuthenticators().enrol(USER, LOCAL_PASSWORD, TOKEN));
                RawSmtpClient client = RawSmtpClient.plain(proxy.address(1).getPort())) {
            assertThat(client.reply()).startsWith("220 ");
            assertThat(client.command("EHLO client.example")).startsWith("250");
            assertThat(client.command("AUTH PLAIN " + plain(USER, LOCAL_PASSWORD)))
                    .isEqualTo("535 5.7.8 Error: authentication failed");
            List<String> seen = server.commandsSeen();
            // The 334 error challenge was answered with an empty line before the 535.
            assertThat(seen.get(seen.size() - 1)).isEmpty();
        }
    }

    /** A token like Microsoft's (some 2,000 characters) would make the AUTH line too long: it follows the empty challenge. */
    @Test
    void smtpSendsALongTokenAfterTheEmptyChallenge() throws Exception {
        String longToken = LONG_TOKEN + "y".repeat(600);
        try (ScriptedSmtpServer server = new ScriptedSmtpServer("nobody", "unused")
                        .extensions(List.of("AUTH XOAUTH2", "ENHANCEDSTATUSCODES"))
                        .acceptToken(USER, longToken);
                ProxyFixture proxy = ProxyFixture.start(config("pop3://127.0.0.1:1", "smtp://127.0.0.1:" + server.port()),
                        new TokenAuthenticators().enrol(USER, LOCAL_PASSWORD, longToken));
                RawSmtpClient client = RawSmtpClient.plain(proxy.address(1).getPort())) {
            assertThat(client.reply()).startsWith("220 ");
            assertThat(client.command("EHLO client.example")).startsWith("250");
            assertThat(client.command("AUTH PLAIN " + plain(USER, LOCAL_PASSWORD))).startsWith("235 ");
            List<String> seen = server.commandsSeen();
            int auth = seen.indexOf("AUTH XOAUTH2");
            assertThat(auth).as("AUTH without an initial response").isNotNegative();
            assertThat(decoded(seen.get(auth + 1))).isEqualTo("user=" + USER + "\u0001auth=Bearer " + longToken + "\u0001\u0001");
        }
    }

    /** A failure the authenticator knows at once (a user who must enrol again, asked twice) is answered, not dropped. */
    @Test
    void aLoginRefusedAtOnceIsAnsweredOverPop3AndSmtp() throws Exception {
        TokenAuthenticators tokens = new TokenAuthenticators().answeringAtOnce()
                .failing("revoked@example.com", "pw-r", UpstreamAuthFailure.REENROL_NEEDED);
        try (ScriptedPop3Server pop3 = new ScriptedPop3Server("nobody", "unused", List.of());
                ScriptedSmtpServer smtp = new ScriptedSmtpServer("nobody", "unused");
                ProxyFixture proxy = ProxyFixture.start(config("pop3://127.0.0.1:" + pop3.port(),
                        "smtp://127.0.0.1:" + smtp.port()), tokens)) {
            try (RawPop3Client client = RawPop3Client.plain(proxy.address(0).getPort())) {
                RawPop3Client.expectOk(client.readLine());
                RawPop3Client.expectOk(client.command("USER revoked@example.com"));
                assertThat(client.command("PASS pw-r"))
                        .isEqualTo("-ERR [AUTH] Sign-in expired: the administrator must enrol this account again");
            }
            try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(1).getPort())) {
                assertThat(client.reply()).startsWith("220 ");
                assertThat(client.command("EHLO client.example")).startsWith("250");
                assertThat(client.command("AUTH PLAIN " + plain("revoked@example.com", "pw-r")))
                        .isEqualTo("535 5.7.8 Sign-in expired: the administrator must enrol this account again");
            }
        }
    }

    @Test
    void eachWayOfGettingNoTokenHasItsReplyAndLogLineAndNoServerIsContacted() throws Exception {
        TokenAuthenticators tokens = new TokenAuthenticators()
                .enrol(USER, LOCAL_PASSWORD, TOKEN)
                .failing("revoked@example.com", "pw-r", UpstreamAuthFailure.REENROL_NEEDED)
                .failing("offline@example.com", "pw-o", UpstreamAuthFailure.TEMPORARY);
        try (ScriptedPop3Server pop3 = new ScriptedPop3Server("nobody", "unused", List.of());
                ScriptedSmtpServer smtp = new ScriptedSmtpServer("nobody", "unused");
                LogCapture routed = LogCapture.of("org.popbridge.proxy.upstream");
                ProxyFixture proxy = ProxyFixture.start(config("pop3://127.0.0.1:" + pop3.port(),
                        "smtp://127.0.0.1:" + smtp.port()), tokens)) {
            try (RawPop3Client client = RawPop3Client.plain(proxy.address(0).getPort())) {
                RawPop3Client.expectOk(client.readLine());
                RawPop3Client.expectOk(client.command("USER " + USER));
                assertThat(client.command("PASS not-the-local-password")).isEqualTo("-ERR [AUTH] Authentication failed");
                RawPop3Client.expectOk(client.command("USER revoked@example.com"));
                assertThat(client.command("PASS pw-r"))
                        .isEqualTo("-ERR [AUTH] Sign-in expired: the administrator must enrol this account again");
                RawPop3Client.expectOk(client.command("USER offline@example.com"));
                assertThat(client.command("PASS pw-o"))
                        .isEqualTo("-ERR [SYS/TEMP] Cannot sign in to the mail server now, try again later");
            }
            try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(1).getPort())) {
                assertThat(client.reply()).startsWith("220 ");
                assertThat(client.command("EHLO client.example")).startsWith("250");
                assertThat(client.command("AUTH PLAIN " + plain(USER, "not-the-local-password")))
                        .isEqualTo("535 5.7.8 Authentication credentials invalid");
                assertThat(client.command("AUTH PLAIN " + plain("revoked@example.com", "pw-r")))
                        .isEqualTo("535 5.7.8 Sign-in expired: the administrator must enrol this account again");
                assertThat(client.command("AUTH PLAIN " + plain("offline@example.com", "pw-o")))
                        .isEqualTo("454 4.7.0 Temporary authentication failure: cannot sign in to the mail server now");
            }
            assertThat(pop3.connectionsAccepted() + pop3.sessionsEnded()).as("the POP3 server was never contacted").isZero();
            assertThat(smtp.connectionsAccepted()).as("the submission server was never contacted").isZero();

            List<ILoggingEvent> reenrol = routed.events().stream()
                    .filter(event -> event.getFormattedMessage().contains("must be enrolled again")).toList();
            // One WARN per refused login (POP3, then SMTP), each naming the command that fixes it.
            assertThat(reenrol).hasSize(2).allSatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage()).contains("user revoked@example.com must be enrolled again "
                        + "(the identity provider answered invalid_grant to the refresh): run popbridge oauth login "
                        + "revoked@example.com --config /etc/popbridge/popbridge.yaml");
            });
            assertThat(routed.events()).filteredOn(event -> event.getFormattedMessage()
                            .contains("no access token for user offline@example.com now: the identity provider did not answer"))
                    .hasSize(2).allMatch(event -> event.getLevel() == Level.WARN);
            assertThat(routed.events()).filteredOn(event -> event.getFormattedMessage()
                            .contains("user " + USER + " refused before"))
                    .hasSize(2).allMatch(event -> event.getLevel() == Level.INFO);
        }
    }

    /** Until the oauth module is wired in, a config with auth: oauth2 does not start, rather than log in some other way. */
    @Test
    void withoutTheOauthModuleAuthOauth2IsRefusedAtStart() throws Exception {
        PopbridgeConfig config = config("pop3://127.0.0.1:1", "smtp://127.0.0.1:1");

        assertThatThrownBy(() -> ProxyServer.start(config, ProxyServer.UpstreamCheck.OFF))
                .isInstanceOf(ConfigException.class)
                .hasMessage("pop3://127.0.0.1:1: auth: oauth2 needs the oauth module, which this build of popbridge "
                        + "does not include yet; use auth: password (the default) for now");
    }

    /** Routes with one provider share one authenticator: its tokens and their refreshes are the users', not the route's. */
    @Test
    void oneAuthenticatorServesEveryServerWithTheSameProvider() throws Exception {
        TokenAuthenticators tokens = new TokenAuthenticators();
        try (ProxyFixture proxy = ProxyFixture.start(config("pop3://127.0.0.1:1", "smtp://127.0.0.1:1"), tokens)) {
            assertThat(tokens.providersBuilt()).isEqualTo(1);
        }
    }
}
