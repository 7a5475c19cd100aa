package org.popbridge.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.testing.FixedGreetingServer;
import org.popbridge.proxy.testing.ScriptedImapServer;
import org.popbridge.proxy.testing.ScriptedPop3Server;
import org.popbridge.proxy.testing.ScriptedSmtpServer;
import org.popbridge.proxy.testing.TestCertificates;
import picocli.CommandLine;

/**
 * {@code popbridge check-config --probe}: after the file checks, each upstream is visited as a
 * session would open it, and each mistake is said in one sentence with its host:port and fix,
 * exiting 1; a good upstream says "ok" with its TLS and certificate, exiting 0.
 */
class CheckConfigProbeTest {

    @TempDir
    Path dir;

    private TestCertificates pki;
    private Path servedCert;
    private Path servedKey;
    private Path ca;
    private AutoCloseable server;

    private record Run(int status, String out, String err) {
    }

    @BeforeEach
    void certificates() throws Exception {
        pki = TestCertificates.newCa();
        Path[] files = TestCertificates.write(dir, "served", pki.issue("popbridge.example.test"));
        servedCert = files[0];
        servedKey = files[1];
        ca = pki.writeCa(dir.resolve("upstream-ca.pem"));
    }

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /**
     * A config with a POP3 listener, and an SMTP one where a submission server is given (check-config
     * binds neither), and the servers as {@code serversYaml} writes them.
     */
    private Run probe(String serversYaml) throws Exception {
        return probeFile("""
                listen:
                  - pop3s://127.0.0.1:1995
                %s
                %s
                tls:
                  cert: %s
                  key: %s
                """.formatted(serversYaml.contains("submission:") ? "  - smtp://127.0.0.1:1587" : "", serversYaml,
                servedCert, servedKey));
    }

    private Run probeFile(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("popbridge.yaml"), yaml);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new PopbridgeCommand());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int status = commandLine.execute("check-config", "--config", file.toString(), "--probe");
        return new Run(status, out.toString(), err.toString());
    }

    private ScriptedPop3Server pop3() throws Exception {
        ScriptedPop3Server pop3 = new ScriptedPop3Server("alice", "secret", List.of());
        server = pop3;
        return pop3;
    }

    private ScriptedSmtpServer smtp() throws Exception {
        ScriptedSmtpServer smtp = new ScriptedSmtpServer("alice", "secret");
        return smtp;
    }

    @Test
    void aGoodUpstreamIsOkWithItsTlsAndCertificate() throws Exception {
        int port = pop3().implicitTls(pki.serverContext("127.0.0.1")).port();
        try (ScriptedSmtpServer submission = smtp()) {
            Run run = probe("""
                    upstream:
                      url: pop3s://127.0.0.1:%d
                      ca: %s
                    submission: smtp://127.0.0.1:%d
                    """.formatted(port, ca, submission.port()));

            assertThat(run.err()).isEmpty();
            assertThat(run.status()).isZero();
            assertThat(run.out()).containsPattern("upstream pop3s://127\\.0\\.0\\.1:" + port
                    + ": ok \\(TLSv1\\.[23], certificate for 127\\.0\\.0\\.1 valid until \\d{4}-\\d\\d-\\d\\d\\)")
                    .contains("upstream smtp://127.0.0.1:" + submission.port() + ": ok (plain, not encrypted)")
                    .contains("# 2 upstream(s) answered");
            assertThat(submission.commandsSeen()).as("never a login").noneMatch(line -> line.startsWith("AUTH"));
        }
    }

    @Test
    void aClosedPortIsConnectionRefused() throws Exception {
        int port = FixedGreetingServer.unusedPort();

        Run run = probe("upstream: pop3://127.0.0.1:" + port);

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("upstream pop3://127.0.0.1:" + port + ": 127.0.0.1:" + port
                + " refused the connection: nothing listens on that port; check the host and port in pop3://127.0.0.1:"
                + port + " and that the server runs");
    }

    @Test
    void aPlainServerBehindAPop3sUrlIsTlsOnAPlainPortWithoutAHexDump() throws Exception {
        int port = pop3().port();

        Run run = probe("upstream: pop3s://127.0.0.1:" + port);

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("upstream pop3s://127.0.0.1:" + port + ": 127.0.0.1:" + port
                + " answered in clear text where pop3s://127.0.0.1:" + port + " expects TLS from the first byte: it "
                + "is a plain port; use pop3+stls://127.0.0.1:" + port + " to start TLS with STLS, or the server's "
                + "TLS port (pop3s is usually 995)")
                .doesNotContain("not an SSL/TLS record");
    }

    @Test
    void aTlsServerBehindAPlainUrlSendsNoGreeting() throws Exception {
        int port = pop3().implicitTls(pki.serverContext("127.0.0.1")).port();

        Run run = probe("""
                upstream:
                  url: pop3://127.0.0.1:%d
                  reply-timeout: 300ms
                """.formatted(port));

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("upstream pop3://127.0.0.1:" + port + ": 127.0.0.1:" + port
                + " sent no greeting within 300 ms: it is most likely a TLS port waiting for a TLS handshake; use "
                + "pop3s://127.0.0.1:" + port + " if it is");
    }

    @Test
    void aCertificateFromAnUnknownCaIsUntrusted() throws Exception {
        int port = pop3().implicitTls(pki.serverContext("127.0.0.1")).port();

        Run run = probe("upstream: pop3s://127.0.0.1:" + port);

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("upstream pop3s://127.0.0.1:" + port + ": 127.0.0.1:" + port
                + " presented a certificate for 127.0.0.1 issued by CN=popbridge test CA, which no trusted CA "
                + "signed: add its CA with --upstream-ca or ca: in the upstream");
    }

    @Test
    void aCertificateForAnotherNameIsANameMismatch() throws Exception {
        int port = pop3().implicitTls(pki.serverContext("mail.example.test", "imap.example.test")).port();

        Run run = probe("""
                upstream:
                  url: pop3s://127.0.0.1:%d
                  ca: %s
                """.formatted(port, ca));

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("upstream pop3s://127.0.0.1:" + port + ": 127.0.0.1:" + port
                + " presented a certificate for mail.example.test, imap.example.test, not for 127.0.0.1: put one of "
                + "those names in pop3s://127.0.0.1:" + port + ", or give the server a certificate for 127.0.0.1");
    }

    @Test
    void anExpiredCertificateSaysWhenItExpired() throws Exception {
        Instant now = Instant.now();
        Instant end = now.minus(Duration.ofDays(3));
        int port = pop3().implicitTls(TestCertificates.serverContext(
                pki.issue(now.minus(Duration.ofDays(30)), end, "127.0.0.1"))).port();

        Run run = probe("""
                upstream:
                  url: pop3s://127.0.0.1:%d
                  ca: %s
                """.formatted(port, ca));

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("upstream pop3s://127.0.0.1:" + port + ": 127.0.0.1:" + port
                + " presented a certificate for 127.0.0.1 that expired on "
                + end.atZone(java.time.ZoneOffset.UTC).toLocalDate() + ": renew the server's certificate");
    }

    @Test
    void aPop3ServerWithoutStlsForAnStlsUrl() throws Exception {
        ScriptedPop3Server pop3 = pop3();
        int port = pop3.port();

        Run run = probe("upstream: pop3+stls://127.0.0.1:" + port);

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("upstream pop3+stls://127.0.0.1:" + port + ": 127.0.0.1:" + port
                + " does not offer STLS, which pop3+stls://127.0.0.1:" + port + " requires: use pop3s://127.0.0.1:995 "
                + "if the server has implicit TLS, or pop3:// only on a trusted network");
        assertThat(pop3.commandsSeen()).as("never a login").containsExactly("STLS");
    }

    @Test
    void anSmtpServerWithoutStartTlsForAStartTlsUrl() throws Exception {
        int pop3Port = pop3().port();
        try (ScriptedSmtpServer submission = smtp()) {
            Run run = probe("""
                    upstream: pop3://127.0.0.1:%d
                    submission: smtp+starttls://127.0.0.1:%d
                    """.formatted(pop3Port, submission.port()));

            assertThat(run.status()).isEqualTo(1);
            assertThat(run.out()).contains("upstream pop3://127.0.0.1:" + pop3Port + ": ok (plain, not encrypted)");
            assertThat(run.err()).contains("upstream smtp+starttls://127.0.0.1:" + submission.port() + ": 127.0.0.1:"
                    + submission.port() + " does not offer STARTTLS, which smtp+starttls://127.0.0.1:"
                    + submission.port() + " requires: use smtps://127.0.0.1:465 if the server has implicit TLS, or "
                    + "smtp:// only on a trusted network")
                    .contains("# 1 of 2 upstream(s) not usable");
        }
    }

    @Test
    void anImapServerWithoutStartTlsForAStartTlsUrl() throws Exception {
        try (ScriptedImapServer imap = new ScriptedImapServer("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n",
                command -> command.endsWith("LOGOUT") ? ScriptedImapServer.CLOSE : null)) {
            Run run = probe("upstream: imap+starttls://127.0.0.1:" + imap.port());

            assertThat(run.status()).isEqualTo(1);
            assertThat(run.err()).contains("upstream imap+starttls://127.0.0.1:" + imap.port() + ": 127.0.0.1:"
                    + imap.port() + " does not offer STARTTLS, which imap+starttls://127.0.0.1:" + imap.port()
                    + " requires: use imaps://127.0.0.1:993 if the server has implicit TLS, or imap:// only on a "
                    + "trusted network");
        }
    }

    @Test
    void aFileWithMistakesIsNotProbed() throws Exception {
        Run run = probeFile("""
                upstream: pop3://127.0.0.1:%d
                limits:
                  idle-timeout: ten minutes
                """.formatted(FixedGreetingServer.unusedPort()));

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.out()).doesNotContain("upstream pop3://");
        assertThat(run.err()).doesNotContain("refused the connection");
    }
}
