package org.popbridge.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.popbridge.proxy.config.SubmissionSettings.AuthMechanism;
import org.popbridge.proxy.core.tls.TlsProfile;
import org.popbridge.proxy.core.upstream.ClientForwarding;
import org.popbridge.proxy.core.upstream.ProxyHeader;
import org.popbridge.proxy.core.upstream.UpstreamScheme;

/** SMTP submission: smtp:// and smtps:// listeners, the submission server, and max-message-size. */
class SubmissionConfigTest {

    @TempDir
    Path dir;

    @Test
    void smtpListenersTakeTheirSchemesPortsAndTheListenerKeys() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                submission: smtps://smtp.example.com
                listen:
                  - smtp://0.0.0.0
                  - smtps://0.0.0.0
                  - url: smtp://127.0.0.1:2587
                    require-tls-for-auth: true
                    tls:
                      profile: legacy
                      protocols: [TLSv1.2, TLSv1]
                      ciphers: [TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA]
                """);

        assertThat(config.listen()).extracting(ListenerConfig::scheme)
                .containsExactly(ListenerScheme.SMTP, ListenerScheme.SMTPS, ListenerScheme.SMTP);
        assertThat(config.listen()).extracting(ListenerConfig::port).containsExactly(587, 465, 2587);
        assertThat(config.listen()).extracting(ListenerConfig::url)
                .containsExactly("smtp://0.0.0.0:587", "smtps://0.0.0.0:465", "smtp://127.0.0.1:2587");
        assertThat(config.listen()).extracting(ListenerConfig::implicitTls).containsExactly(false, true, false);
        assertThat(config.listen()).allSatisfy(listener -> {
            assertThat(listener.speaksSmtp()).isTrue();
            assertThat(listener.protocol()).isEqualTo(ListenerScheme.Protocol.SMTP);
        });
        assertThat(config.listen()).extracting(ListenerConfig::tlsRequiredForAuth).containsExactly(true, true, true);
        assertThat(config.listen().get(2).tls()).isEqualTo(new ListenerTlsConfig(TlsProfile.LEGACY,
                List.of("TLSv1.2", "TLSv1"), List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")));
        assertThat(config.sendsMail()).isTrue();
        assertThat(config.readsMail()).isFalse();
    }

    @Test
    void listenerSchemesTellTheirProtocolAndHowTlsStarts() {
        assertThat(ListenerScheme.values()).extracting(ListenerScheme::protocol).containsExactly(
                ListenerScheme.Protocol.POP3, ListenerScheme.Protocol.POP3,
                ListenerScheme.Protocol.SMTP, ListenerScheme.Protocol.SMTP);
        assertThat(ListenerScheme.values()).extracting(ListenerScheme::implicitTls)
                .containsExactly(false, true, false, true);
        assertThat(ListenerScheme.of("SMTPS")).contains(ListenerScheme.SMTPS);
    }

    @ParameterizedTest
    @CsvSource({
            "smtp+starttls://smtp.example.com, SMTP_STARTTLS, 587, true, false",
            "smtps://smtp.example.com, SMTPS, 465, true, true",
            "smtp://smtp.example.com, SMTP, 587, false, false",
            "SMTPS://smtp.example.com:10465, SMTPS, 10465, true, true",
            "smtp+starttls://smtp.example.com:25, SMTP_STARTTLS, 25, true, false",
    })
    void aSubmissionUrlWithoutAPortUsesItsSchemesPort(String url, UpstreamScheme scheme, int port, boolean tls,
                                                       boolean implicitTls) throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, "listen:\n  - smtp://127.0.0.1:2587\nsubmission: " + url + "\n");
        SubmissionConfig submission = config.submission();

        assertThat(submission.scheme()).isEqualTo(scheme);
        assertThat(submission.scheme().protocol()).isEqualTo(UpstreamScheme.Protocol.SMTP);
        assertThat(submission.scheme().usesTls()).isEqualTo(tls);
        assertThat(submission.scheme().implicitTls()).isEqualTo(implicitTls);
        assertThat(submission.plain()).isEqualTo(!tls);
        assertThat(submission.host()).isEqualTo("smtp.example.com");
        assertThat(submission.port()).isEqualTo(port);
        assertThat(submission.server().imap()).isNull();
        assertThat(submission.settings()).isEqualTo(SubmissionSettings.defaults());
        assertThat(submission.authMechanism()).isEqualTo(AuthMechanism.PLAIN);
        assertThat(submission.xclient()).isFalse();
        assertThat(submission.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(submission.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(submission.replyTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(submission.ca()).isNull();
        assertThat(submission.insecure()).isFalse();
    }

    @Test
    void theSmtpUpstreamSchemesKeepImplicitTlsRight() {
        assertThat(UpstreamScheme.of("smtp+starttls")).contains(UpstreamScheme.SMTP_STARTTLS);
        assertThat(UpstreamScheme.SMTPS.implicitTls()).isTrue();
        assertThat(UpstreamScheme.SMTP_STARTTLS.implicitTls()).isFalse();
        assertThat(UpstreamScheme.SMTP_STARTTLS.upgradesToTls()).isTrue();
        assertThat(UpstreamScheme.SMTP.usesTls()).isFalse();
        assertThat(UpstreamScheme.POP3S.implicitTls()).isTrue();
        assertThat(UpstreamScheme.IMAPS.implicitTls()).isTrue();
        assertThat(UpstreamScheme.POP3_STLS.implicitTls()).isFalse();
        assertThat(UpstreamScheme.IMAP_STARTTLS.upgradesToTls()).isTrue();
    }

    @Test
    void aSubmissionObjectBindsEveryKey() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                listen:
                  - smtps://0.0.0.0:465
                submission:
                  url: smtp+starttls://exchange.example.com
                  ca: /etc/popbridge/exchange-ca.pem
                  insecure: true
                  connect-timeout: 3s
                  handshake-timeout: 4s
                  reply-timeout: 5m
                  auth-mechanism: LOGIN
                  xclient: true
                """);

        assertThat(config.submission()).isEqualTo(new SubmissionConfig(
                new UpstreamConfig(UpstreamScheme.SMTP_STARTTLS, "exchange.example.com", 587,
                        Path.of("/etc/popbridge/exchange-ca.pem"), true,
                        Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofMinutes(5))
                        .withForwarding(new ClientForwarding(true, ProxyHeader.NONE)),
                new SubmissionSettings(AuthMechanism.LOGIN, true)));
        assertThat(config.submission().url()).isEqualTo("smtp+starttls://exchange.example.com:587");
        assertThat(config.submission().authMechanism().saslName()).isEqualTo("LOGIN");
        assertThat(config.upstream()).isNull();
    }

    @Test
    void authMechanismPlainAndXclientFalseAreTheDefaultsWrittenOut() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                listen: [smtp://127.0.0.1:2587]
                submission:
                  url: smtps://smtp.example.com
                  auth-mechanism: plain
                  xclient: false
                """);

        assertThat(config.submission()).isEqualTo(SubmissionConfig.parse("smtps://smtp.example.com"));
    }

    @Test
    void anSmtpOnlyConfigNeedsNoUpstream() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                listen:
                  - smtp://0.0.0.0:587
                  - smtps://0.0.0.0:465
                submission: smtps://smtp.example.com
                """);

        assertThat(config.upstream()).isNull();
        assertThat(config.hasUpstream()).isFalse();
        assertThat(config.hasSubmission()).isTrue();
        assertThat(config.readsMail()).isFalse();
    }

    @Test
    void pop3AndSmtpListenersTogetherWithBothServers() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                listen:
                  - pop3s://0.0.0.0:995
                  - smtps://0.0.0.0:465
                upstream: pop3s://mail.example.com
                submission: smtps://mail.example.com
                """);

        assertThat(config.readsMail()).isTrue();
        assertThat(config.sendsMail()).isTrue();
        assertThat(config.upstream().url()).isEqualTo("pop3s://mail.example.com:995");
        assertThat(config.submission().url()).isEqualTo("smtps://mail.example.com:465");
    }

    @Test
    void aSubmissionServerWithOnlyPop3ListenersIsKept() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, "upstream: pop3s://mail.example.com\n"
                + "submission: smtps://mail.example.com\n");

        assertThat(config.sendsMail()).isFalse();
        assertThat(config.submission().url()).isEqualTo("smtps://mail.example.com:465");
    }

    @Test
    void maxMessageSizeIsASizeWithADefaultOf50MB() throws Exception {
        assertThat(ConfigFiles.load(dir, "upstream: pop3s://mail.example.com\n").limits().maxMessageSize())
                .isEqualTo(50L * 1024 * 1024)
                .isEqualTo(LimitsConfig.DEFAULT_MAX_MESSAGE_SIZE);
        assertThat(LimitsConfig.defaults().maxMessageSize()).isEqualTo(50L << 20);

        PopbridgeConfig config = ConfigFiles.load(dir, """
                upstream: pop3s://mail.example.com
                limits:
                  idle-timeout: 20m
                  max-message-size: 25MB
                """);

        assertThat(config.limits().maxMessageSize()).isEqualTo(25L << 20);
        assertThat(config.limits().session().idleTimeout()).isEqualTo(Duration.ofMinutes(20));
        assertThat(ConfigFiles.load(dir, "upstream: pop3s://mail.example.com\nlimits:\n  max-message-size: 1048576\n")
                .limits().maxMessageSize()).isEqualTo(1L << 20);
    }

    @Test
    void submissionSetInCodeCannotJoinAStarRoutesSubmission() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                listen: [smtps://0.0.0.0:465]
                routes:
                  - match: "*"
                    submission: smtps://smtp.example.com
                """);

        assertThatThrownBy(() -> config.withSubmission(SubmissionConfig.parse("smtps://other.example.com")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two default routes");
        assertThat(config.withUpstream(UpstreamConfig.parse("pop3s://pop.example.com")).upstream()).isNotNull();
    }

    @Test
    void aSubmissionUrlOverAFilesKeepsItsCaTimeoutsAndSettings() throws Exception {
        SubmissionConfig fromFile = ConfigFiles.load(dir, """
                listen: [smtps://0.0.0.0:465]
                submission:
                  url: smtps://old.example.com
                  ca: /etc/ca.pem
                  reply-timeout: 2m
                  auth-mechanism: login
                  xclient: true
                """).submission();

        SubmissionConfig moved = fromFile.withUrl("smtp+starttls://new.example.com:2587");

        assertThat(moved.url()).isEqualTo("smtp+starttls://new.example.com:2587");
        assertThat(moved.ca()).isEqualTo(Path.of("/etc/ca.pem"));
        assertThat(moved.replyTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(moved.settings()).isEqualTo(new SubmissionSettings(AuthMechanism.LOGIN, true));
        assertThatThrownBy(() -> fromFile.withUrl("pop3s://mail.example.com"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'pop3s' is for the upstream");
    }

    /** Each case: the file, then the message after "FILE:" — the line, the key and the problem. */
    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("an unknown submission scheme", """
                        listen: [smtps://0.0.0.0:465]
                        submission: http://smtp.example.com
                        """,
                        "2: key 'submission': unknown submission scheme 'http' "
                                + "(use smtp://, smtp+starttls:// or smtps://)"),
                Arguments.of("a POP3 URL as the submission server", """
                        listen: [smtps://0.0.0.0:465]
                        submission:
                          url: pop3s://mail.example.com
                        """,
                        "3: key 'submission.url': 'pop3s' is for the upstream (upstream:), which mail is read from; "
                                + "the submission server takes smtp://, smtp+starttls:// or smtps://"),
                Arguments.of("an SMTP URL as the upstream", """
                        upstream: smtps://mail.example.com
                        """,
                        "1: key 'upstream': 'smtps' is for the submission server (submission:), which mail is sent "
                                + "through; the upstream takes pop3://, pop3+stls://, pop3s://, imap://, "
                                + "imap+starttls:// or imaps://"),
                Arguments.of("a submission object without a url", """
                        listen: [smtps://0.0.0.0:465]
                        submission:
                          auth-mechanism: login
                        """,
                        "2: key 'submission': the submission server needs a url, e.g. smtps://smtp.example.com:465"),
                Arguments.of("an unknown auth mechanism", """
                        listen: [smtps://0.0.0.0:465]
                        submission:
                          url: smtps://smtp.example.com
                          auth-mechanism: cram-md5
                        """,
                        "4: key 'submission.auth-mechanism': unknown mechanism 'cram-md5' (use plain or login)"),
                Arguments.of("xclient that is not true or false", """
                        listen: [smtps://0.0.0.0:465]
                        submission:
                          url: smtps://smtp.example.com
                          xclient: sometimes
                        """,
                        "4: key 'submission.xclient': expected true or false, got 'sometimes'"),
                Arguments.of("an IMAP key on the submission server", """
                        listen: [smtps://0.0.0.0:465]
                        submission:
                          url: smtps://smtp.example.com
                          folder: Sent
                        """,
                        "4: key 'submission.folder': unknown key (known here: auth, auth-mechanism, ca, connect-timeout, "
                                + "forward-client-address, handshake-timeout, insecure, provider, proxy-protocol, reply-timeout, url, "
                                + "xclient)"),
                Arguments.of("a zero submission timeout", """
                        listen: [smtps://0.0.0.0:465]
                        submission:
                          url: smtps://smtp.example.com
                          reply-timeout: 0s
                        """,
                        "4: key 'submission.reply-timeout': must be more than zero"),
                Arguments.of("a submission port out of range", """
                        listen: [smtps://0.0.0.0:465]
                        submission: smtps://smtp.example.com:70000
                        """,
                        "2: key 'submission': port 70000 out of range (0-65535) in 'smtps://smtp.example.com:70000'"),
                Arguments.of("submission written as a list", """
                        listen: [smtps://0.0.0.0:465]
                        submission:
                          - smtps://smtp.example.com
                        """,
                        "2: key 'submission': expected a URL or 'key: value' settings"),
                Arguments.of("a max-message-size that is not a size", """
                        upstream: pop3s://mail.example.com
                        limits:
                          max-message-size: fifty megabytes
                        """,
                        "3: key 'limits.max-message-size': not a size: 'fifty megabytes' "
                                + "(use e.g. 256KB, 64MB, 1GB, or a number of octets)"),
                Arguments.of("a max-message-size too small for a message", """
                        upstream: pop3s://mail.example.com
                        limits:
                          max-message-size: 512B
                        """,
                        "3: key 'limits.max-message-size': must be between 1KB and 2GB, got 512B"),
                Arguments.of("a max-message-size above its range", """
                        upstream: pop3s://mail.example.com
                        limits:
                          max-message-size: 3GB
                        """,
                        "3: key 'limits.max-message-size': must be between 1KB and 2GB, got 3GB"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void aMistakeNamesTheFileLineKeyAndProblem(String mistake, String yaml, String expected) throws IOException {
        ConfigFiles.assertMistake(dir, yaml, expected);
    }
}
