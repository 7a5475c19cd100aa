package org.popbridge.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.LogFormat;
import org.popbridge.proxy.config.LogLevel;
import org.popbridge.proxy.config.LoggingConfig;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.SubmissionConfig;
import org.popbridge.proxy.config.SubmissionSettings;
import org.popbridge.proxy.config.TlsConfig;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.core.tls.TlsEngineChoice;
import org.popbridge.proxy.core.upstream.ImapOptions;
import org.popbridge.proxy.core.upstream.UpstreamScheme;
import picocli.CommandLine;

/** The command line laid over the config file, parsed by picocli as {@code popbridge} parses it. */
class RunOptionsTest {

    @TempDir
    Path dir;

    private Path file;

    @BeforeEach
    void writeConfigFile() throws IOException {
        file = Files.writeString(dir.resolve("popbridge.yaml"), """
                listen:
                  - pop3://127.0.0.1:2110
                  - pop3s://127.0.0.1:2995
                upstream:
                  url: pop3s://old.example.com:995
                  ca: /etc/popbridge/upstream-ca.pem
                  connect-timeout: 3s
                  handshake-timeout: 4s
                  reply-timeout: 2m
                tls:
                  cert: /etc/popbridge/server.crt
                  key: /etc/popbridge/server.key
                state-dir: /var/lib/popbridge
                limits:
                  idle-timeout: 20m
                shutdown-grace: 5s
                """);
    }

    private static PopbridgeConfig resolve(String... args) throws ConfigException {
        PopbridgeCommand command = new PopbridgeCommand();
        new CommandLine(command).parseArgs(args);
        return command.options.resolve();
    }

    @Test
    void theIssuesCommandLineNeedsNoFile() throws Exception {
        PopbridgeConfig config = resolve("--listen", "pop3://127.0.0.1:1110", "--listen", "pop3s://127.0.0.1:1995",
                "--upstream", "pop3s://mail.example.com:995");

        assertThat(config.listen()).extracting(ListenerConfig::url)
                .containsExactly("pop3://127.0.0.1:1110", "pop3s://127.0.0.1:1995");
        assertThat(config.upstream()).isEqualTo(UpstreamConfig.parse("pop3s://mail.example.com:995"));
        assertThat(config.upstream().insecure()).isFalse();
        assertThat(config.stateDir()).isEqualTo(Path.of("popbridge-state"));
        assertThat(config.tls().configured()).isFalse();
    }

    @Test
    void onlyAnUpstreamRunsOnTheDefaultListeners() throws Exception {
        PopbridgeConfig config = resolve("--upstream", "pop3+stls://mail.example.com");

        assertThat(config.listen()).isEqualTo(PopbridgeConfig.DEFAULT_LISTENERS);
        assertThat(config.upstream().scheme()).isEqualTo(UpstreamScheme.POP3_STLS);
        assertThat(config.upstream().port()).isEqualTo(110);
    }

    @Test
    void withoutFlagsTheFileIsUsedAsWritten() throws Exception {
        PopbridgeConfig config = resolve("--config", file.toString());

        assertThat(config.listen()).extracting(ListenerConfig::url)
                .containsExactly("pop3://127.0.0.1:2110", "pop3s://127.0.0.1:2995");
        assertThat(config.upstream().url()).isEqualTo("pop3s://old.example.com:995");
        assertThat(config.stateDir()).isEqualTo(Path.of("/var/lib/popbridge"));
        assertThat(config.limits().session().idleTimeout()).isEqualTo(Duration.ofMinutes(20));
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void upstreamFlagChangesTheAddressAndKeepsTheFilesCaAndTimeouts() throws Exception {
        UpstreamConfig upstream = resolve("--config", file.toString(), "--upstream", "pop3+stls://new.example.com:1100")
                .upstream();

        assertThat(upstream).isEqualTo(new UpstreamConfig(UpstreamScheme.POP3_STLS, "new.example.com", 1100,
                Path.of("/etc/popbridge/upstream-ca.pem"), false,
                Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofMinutes(2)));
    }

    @Test
    void upstreamCaFlagReplacesTheFilesCa() throws Exception {
        UpstreamConfig upstream = resolve("--config", file.toString(), "--upstream-ca", "/tmp/private-ca.pem").upstream();

        assertThat(upstream.ca()).isEqualTo(Path.of("/tmp/private-ca.pem"));
        assertThat(upstream.url()).isEqualTo("pop3s://old.example.com:995");
        assertThat(upstream.replyTimeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void upstreamInsecureFlagTurnsVerificationOffAndKeepsTheRest() throws Exception {
        UpstreamConfig upstream = resolve("--config", file.toString(), "--upstream-insecure").upstream();

        assertThat(upstream.insecure()).isTrue();
        assertThat(upstream.url()).isEqualTo("pop3s://old.example.com:995");
        assertThat(upstream.ca()).isEqualTo(Path.of("/etc/popbridge/upstream-ca.pem"));
    }

    @Test
    void listenFlagsReplaceTheFilesListenersInsteadOfAddingToThem() throws Exception {
        PopbridgeConfig config = resolve("--config", file.toString(), "--listen", "pop3s://0.0.0.0:995");

        assertThat(config.listen()).extracting(ListenerConfig::url).containsExactly("pop3s://0.0.0.0:995");
        assertThat(config.listen().get(0).tlsRequiredForAuth()).isTrue();
    }

    @Test
    void stateDirFlagOverridesTheFile() throws Exception {
        assertThat(resolve("--config", file.toString(), "--state-dir", "/srv/popbridge").stateDir())
                .isEqualTo(Path.of("/srv/popbridge"));
    }

    @Test
    void certAndKeyFlagsReplaceTheFilesCertificate() throws Exception {
        TlsConfig tls = resolve("--config", file.toString(), "--cert", "/tmp/a.crt", "--key", "/tmp/a.key").tls();

        assertThat(tls).isEqualTo(new TlsConfig(Path.of("/tmp/a.crt"), Path.of("/tmp/a.key")));
    }

    @Test
    void tlsEngineFlagOverridesTheFilesAndKeepsItsCertificate() throws Exception {
        Path withEngine = Files.writeString(dir.resolve("engine.yaml"), Files.readString(file)
                .replace("  key: /etc/popbridge/server.key\n", "  key: /etc/popbridge/server.key\n  engine: auto\n"));

        TlsConfig tls = resolve("--config", withEngine.toString(), "--tls-engine", "JDK").tls();

        assertThat(tls.engine()).isEqualTo(TlsEngineChoice.JDK);
        assertThat(tls.cert()).isEqualTo(Path.of("/etc/popbridge/server.crt"));
        assertThat(resolve("--config", file.toString()).tls().engine()).isEqualTo(TlsEngineChoice.AUTO);
    }

    @Test
    void anUnknownTlsEngineNamesTheFlag() {
        assertThatThrownBy(() -> resolve("--upstream", "pop3s://mail.example.com", "--tls-engine", "gnutls"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--tls-engine: unknown TLS engine 'gnutls' (use auto, openssl or jdk)");
    }

    @Test
    void certWithoutKeyIsRefused() {
        assertThatThrownBy(() -> resolve("--upstream", "pop3s://mail.example.com", "--cert", "/tmp/a.crt"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--cert/--key: tls needs both cert and key, or neither "
                        + "(then a self-signed certificate is generated); "
                        + "a PKCS#12 file (.p12, .pfx) holds both and needs no key");
    }

    @Test
    void shutdownGraceFlagOverridesTheFile() throws Exception {
        assertThat(resolve("--config", file.toString(), "--shutdown-grace", "2m").shutdownGrace())
                .isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void withoutAnUpstreamOrAFileNothingCanRun() {
        assertThatThrownBy(RunOptionsTest::resolve)
                .isInstanceOf(ConfigException.class)
                .hasMessage("no upstream: give --upstream URL");
    }

    @Test
    void anEmptyFileRunsOnDefaultsButStillNeedsAnUpstream() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "# to be written\n");

        assertThatThrownBy(() -> resolve("--config", empty.toString()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("no upstream: give --upstream URL or upstream.url in " + empty);
    }

    @Test
    void anEmptyFileAndAnUpstreamFlagRun() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "");

        PopbridgeConfig config = resolve("--config", empty.toString(), "--upstream", "pop3s://mail.example.com");

        assertThat(config).isEqualTo(PopbridgeConfig.defaults().withUpstream(UpstreamConfig.parse("pop3s://mail.example.com")));
    }

    @Test
    void aBadListenUrlNamesTheFlag() {
        assertThatThrownBy(() -> resolve("--upstream", "pop3s://mail.example.com", "--listen", "imap://127.0.0.1:1143"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--listen: unknown listener scheme 'imap' (use pop3://, pop3s://, smtp:// or smtps://)");
    }

    @Test
    void aBadUpstreamUrlNamesTheFlagEvenOverAFile() {
        assertThatThrownBy(() -> resolve("--config", file.toString(), "--upstream", "pop3s://mail.example.com:99999"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--upstream: port 99999 out of range (0-65535) in 'pop3s://mail.example.com:99999'");
    }

    @Test
    void anImapUpstreamFlagOverAFilesPop3UpstreamReadsInboxWithTheDefaults() throws Exception {
        UpstreamConfig upstream = resolve("--config", file.toString(), "--upstream", "imaps://imap.example.com").upstream();

        assertThat(upstream.url()).isEqualTo("imaps://imap.example.com:993");
        assertThat(upstream.ca()).isEqualTo(Path.of("/etc/popbridge/upstream-ca.pem"));
        assertThat(upstream.imap()).isEqualTo(ImapOptions.defaults());
    }

    @Test
    void aPop3UpstreamFlagOverAFilesImapUpstreamLeavesNoImapSettingsBehind() throws Exception {
        Path imapFile = Files.writeString(dir.resolve("imap.yaml"), """
                upstream:
                  url: imaps://imap.example.com
                  folder: Scans
                  without-uidplus: move
                  move-to: Trash
                """);

        UpstreamConfig upstream = resolve("--config", imapFile.toString(), "--upstream", "pop3s://pop.example.com")
                .upstream();

        assertThat(upstream.url()).isEqualTo("pop3s://pop.example.com:995");
        assertThat(upstream.imap()).isNull();
    }

    @Test
    void aFileWithOnlyRoutesRunsWithoutAnUpstream() throws Exception {
        Path routesOnly = Files.writeString(dir.resolve("routes.yaml"), """
                routes:
                  - match: "*@example.com"
                    upstream: imaps://imap.example.com
                """);

        PopbridgeConfig config = resolve("--config", routesOnly.toString());

        assertThat(config.upstream()).isNull();
        assertThat(config.routes()).hasSize(1);
    }

    @Test
    void anUpstreamFlagOverAFilesStarRouteIsTwoDefaults() throws IOException {
        Path starRoute = Files.writeString(dir.resolve("star.yaml"), """
                routes:
                  - match: "*"
                    upstream: imaps://imap.example.com
                """);

        assertThatThrownBy(() -> resolve("--config", starRoute.toString(), "--upstream", "pop3s://pop.example.com"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--upstream: two default routes: this \"*\" route and the top-level upstream both take "
                        + "every user; remove one");
    }

    @Test
    void upstreamCaFlagWithOnlyRoutesSaysWhereTheCaGoes() throws IOException {
        Path routesOnly = Files.writeString(dir.resolve("routes.yaml"), """
                routes:
                  - match: alice
                    upstream: pop3s://pop.example.com
                """);

        assertThatThrownBy(() -> resolve("--config", routesOnly.toString(), "--upstream-ca", "/tmp/ca.pem"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--upstream-ca: applies to the top-level upstream, and " + routesOnly
                        + " has only routes; set ca: in each route's upstream instead");
        assertThatThrownBy(() -> resolve("--config", routesOnly.toString(), "--upstream-insecure"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("--upstream-insecure: applies to the top-level upstream");
    }

    @Test
    void upstreamCaFlagAloneIsStillTheNoUpstreamError() {
        assertThatThrownBy(() -> resolve("--upstream-ca", "/tmp/ca.pem"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("no upstream: give --upstream URL");
    }

    @Test
    void aBadDurationNamesTheFlag() {
        assertThatThrownBy(() -> resolve("--upstream", "pop3s://mail.example.com", "--shutdown-grace", "soon"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--shutdown-grace: not a duration: 'soon' (use e.g. 50us, 500ms, 30s, 10m, 1h)");
    }

    @Test
    void aBrokenFileIsReportedBeforeAnyFlagIsLooked() throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "upstream: pop3s://mail.example.com\nstate-dri: /x\n");

        assertThatThrownBy(() -> resolve("--config", broken.toString(), "--upstream", "pop3s://other.example.com"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(broken + ":2: key 'state-dri': unknown key");
    }

    @Test
    void smtpListenersAndASubmissionServerRunWithoutAnUpstream() throws Exception {
        PopbridgeConfig config = resolve("--listen", "smtp://127.0.0.1", "--listen", "smtps://127.0.0.1",
                "--submission", "smtps://smtp.example.com");

        assertThat(config.listen()).extracting(ListenerConfig::url)
                .containsExactly("smtp://127.0.0.1:587", "smtps://127.0.0.1:465");
        assertThat(config.listen()).extracting(ListenerConfig::implicitTls).containsExactly(false, true);
        assertThat(config.upstream()).isNull();
        assertThat(config.submission()).isEqualTo(SubmissionConfig.parse("smtps://smtp.example.com:465"));
    }

    @ParameterizedTest
    @CsvSource({
            "smtp+starttls://smtp.example.com, SMTP_STARTTLS, 587",
            "smtps://smtp.example.com, SMTPS, 465",
            "smtp://127.0.0.1, SMTP, 587",
            "smtps://smtp.example.com:2465, SMTPS, 2465",
    })
    void submissionFlagSchemesAndTheirPorts(String url, UpstreamScheme scheme, int port) throws Exception {
        SubmissionConfig submission = resolve("--listen", "smtp://127.0.0.1:2587", "--submission", url).submission();

        assertThat(submission.scheme()).isEqualTo(scheme);
        assertThat(submission.port()).isEqualTo(port);
        assertThat(submission.settings()).isEqualTo(SubmissionSettings.defaults());
    }

    @Test
    void anSmtpListenerWithoutASubmissionServerCannotRun() {
        assertThatThrownBy(() -> resolve("--listen", "smtps://127.0.0.1:2465"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("no submission server for the SMTP listeners: give --submission URL");
        assertThatThrownBy(() -> resolve("--config", file.toString(), "--listen", "smtps://127.0.0.1:2465"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("no submission server for the SMTP listeners: give --submission URL or submission.url in "
                        + file);
    }

    @Test
    void aConfigFileWithOnlySmtpListenersTakesItsSubmissionServerFromTheCommandLine()
            throws Exception {
        Path smtpOnly = Files.writeString(dir.resolve("smtp-only.yaml"), """
                listen:
                  - smtp://127.0.0.1:2587
                  - url: smtps://127.0.0.1:2465
                    tls: {profile: legacy}
                """);
        PopbridgeConfig config = resolve("--config", smtpOnly.toString(), "--submission", "smtps://smtp.example.com");

        assertThat(config.submission()).isEqualTo(SubmissionConfig.parse("smtps://smtp.example.com:465"));
        assertThat(config.listen()).hasSize(2);
    }

    @Test
    void aPop3ListenerStillNeedsAnUpstreamBesideASubmissionServer() {
        assertThatThrownBy(() -> resolve("--listen", "pop3s://127.0.0.1:2995", "--listen", "smtps://127.0.0.1:2465",
                "--submission", "smtps://smtp.example.com"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("no upstream: give --upstream URL");
    }

    @Test
    void smtpListenersAndASubmissionServerOverAPop3File() throws Exception {
        PopbridgeConfig config = resolve("--config", file.toString(), "--listen", "pop3s://0.0.0.0:995",
                "--listen", "smtps://0.0.0.0:465", "--submission", "smtp+starttls://smtp.example.com");

        assertThat(config.upstream().url()).isEqualTo("pop3s://old.example.com:995");
        assertThat(config.submission().url()).isEqualTo("smtp+starttls://smtp.example.com:587");
        assertThat(config.readsMail()).isTrue();
        assertThat(config.sendsMail()).isTrue();
    }

    @Test
    void submissionFlagChangesTheAddressAndKeepsTheFilesSettings() throws Exception {
        Path smtpFile = Files.writeString(dir.resolve("smtp.yaml"), """
                listen:
                  - smtps://0.0.0.0:465
                submission:
                  url: smtps://old.example.com
                  ca: /etc/popbridge/smtp-ca.pem
                  reply-timeout: 5m
                  auth-mechanism: login
                  xclient: true
                """);

        SubmissionConfig submission = resolve("--config", smtpFile.toString(), "--submission",
                "smtp+starttls://new.example.com").submission();

        assertThat(submission.url()).isEqualTo("smtp+starttls://new.example.com:587");
        assertThat(submission.ca()).isEqualTo(Path.of("/etc/popbridge/smtp-ca.pem"));
        assertThat(submission.replyTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(submission.authMechanism()).isEqualTo(SubmissionSettings.AuthMechanism.LOGIN);
        assertThat(submission.xclient()).isTrue();
    }

    @Test
    void upstreamCaAndInsecureFlagsApplyToTheSubmissionServerToo() throws Exception {
        PopbridgeConfig config = resolve("--config", file.toString(), "--listen", "smtps://0.0.0.0:465",
                "--listen", "pop3s://0.0.0.0:995", "--submission", "smtps://smtp.example.com",
                "--upstream-ca", "/tmp/private-ca.pem", "--upstream-insecure");

        assertThat(config.submission().ca()).isEqualTo(Path.of("/tmp/private-ca.pem"));
        assertThat(config.submission().insecure()).isTrue();
        assertThat(config.upstream().ca()).isEqualTo(Path.of("/tmp/private-ca.pem"));
        assertThat(config.upstream().insecure()).isTrue();

        SubmissionConfig alone = resolve("--listen", "smtps://0.0.0.0:465", "--submission", "smtps://smtp.example.com",
                "--upstream-ca", "/tmp/private-ca.pem", "--upstream-insecure").submission();

        assertThat(alone.ca()).isEqualTo(Path.of("/tmp/private-ca.pem"));
        assertThat(alone.insecure()).isTrue();
    }

    @Test
    void upstreamCaFlagWithOnlySubmissionRoutesSaysWhereTheCaGoes() throws IOException {
        Path routesOnly = Files.writeString(dir.resolve("routes.yaml"), """
                listen: [smtps://0.0.0.0:465]
                routes:
                  - match: alice
                    submission: smtps://smtp.example.com
                """);

        assertThatThrownBy(() -> resolve("--config", routesOnly.toString(), "--upstream-ca", "/tmp/ca.pem"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--upstream-ca: applies to the top-level upstream and submission server, and " + routesOnly
                        + " has only routes; set ca: in each route's upstream and submission instead");
        assertThatThrownBy(() -> resolve("--listen", "smtps://0.0.0.0:465", "--upstream-ca", "/tmp/ca.pem"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("no submission server for the SMTP listeners: give --submission URL");
    }

    @Test
    void aBadSubmissionUrlNamesTheFlag() {
        assertThatThrownBy(() -> resolve("--listen", "smtps://0.0.0.0:465", "--submission", "pop3s://mail.example.com"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--submission: 'pop3s' is for the upstream (upstream:), which mail is read from; "
                        + "the submission server takes smtp://, smtp+starttls:// or smtps://");
        assertThatThrownBy(() -> resolve("--listen", "smtps://0.0.0.0:465", "--submission", "lmtp://mail.example.com"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--submission: unknown submission scheme 'lmtp' (use smtp://, smtp+starttls:// or smtps://)");
    }

    @Test
    void anSmtpUpstreamFlagIsRefused() {
        assertThatThrownBy(() -> resolve("--upstream", "smtps://mail.example.com"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("--upstream: 'smtps' is for the submission server");
    }

    @Test
    void logFlagsWinOverTheFilesLoggingAndKeepItsRolling() throws Exception {
        Path logging = Files.writeString(dir.resolve("logging.yaml"), """
                upstream: pop3s://mail.example.com
                logging:
                  level: warn
                  format: text
                  file: /var/log/popbridge/popbridge.log
                  max-file-size: 5MB
                  max-history: 3
                """);

        LoggingConfig fromFile = resolve("--config", logging.toString()).logging();
        LoggingConfig flagged = resolve("--config", logging.toString(), "--log-level", "TRACE", "--log-format", "json",
                "--log-file", "/srv/log/p.log").logging();

        assertThat(fromFile).isEqualTo(new LoggingConfig(LogLevel.WARN, LogFormat.TEXT,
                Path.of("/var/log/popbridge/popbridge.log"), 5L << 20, 3));
        assertThat(flagged).isEqualTo(new LoggingConfig(LogLevel.TRACE, LogFormat.JSON, Path.of("/srv/log/p.log"),
                5L << 20, 3));
    }

    @Test
    void withoutLogFlagsOrFileTheLevelIsLeftToTheEnvironment() throws Exception {
        LoggingConfig logging = resolve("--upstream", "pop3s://mail.example.com").logging();

        assertThat(logging.level()).as("POPBRIDGE_LOG_LEVEL in logback.xml decides").isNull();
        assertThat(logging.standardText()).isTrue();
    }
}
