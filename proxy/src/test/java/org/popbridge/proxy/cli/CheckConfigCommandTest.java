package org.popbridge.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.certs.ServerCredentials;
import org.popbridge.proxy.core.tls.TlsEngine;
import org.popbridge.proxy.testing.TestCertificates;
import picocli.CommandLine;

/**
 * {@code popbridge check-config}: a good file prints the settings a start would use, secrets
 * masked, and exits 0; each kind of mistake exits 2 with a "FILE:LINE: key 'KEY': problem" line.
 */
class CheckConfigCommandTest {

    @TempDir
    Path dir;

    private TestCertificates pki;
    private Path cert;
    private Path key;
    private Path ca;

    private record Run(int status, String out, String err) {
    }

    @BeforeEach
    void certificates() throws Exception {
        pki = TestCertificates.newCa();
        Path[] files = TestCertificates.write(dir, "server", pki.issue("mail.example.test"));
        cert = files[0];
        key = files[1];
        ca = pki.writeCa(dir.resolve("upstream-ca.pem"));
    }

    private Run check(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("popbridge.yaml"), yaml);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new PopbridgeCommand());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int status = commandLine.execute("check-config", "--config", file.toString());
        return new Run(status, out.toString(), err.toString());
    }

    private String file() {
        return dir.resolve("popbridge.yaml").toString();
    }

    @Test
    void aGoodFileExits0AndPrintsTheEffectiveSettingsWithoutTheKeyPassword() throws Exception {
        ServerCredentials org = pki.issue("mail.example.org");
        Path p12 = dir.resolve("org.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("org", org.key(), "hunter2-secret".toCharArray(), org.chainArray());
        try (OutputStream stream = Files.newOutputStream(p12)) {
            store.store(stream, "hunter2-secret".toCharArray());
        }

        Run run = check("""
                listen:
                  - pop3s://127.0.0.1:1995
                  - smtps://127.0.0.1:1465
                upstream:
                  url: imaps://mail.example.com
                  ca: %s
                submission: smtps://smtp.example.com
                tls:
                  cert: %s
                  key: %s
                  sni:
                    - names: [mail.example.org]
                      cert: %s
                      key-password: hunter2-secret
                limits:
                  idle-timeout: 5m
                """.formatted(ca, cert, key, p12));

        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        assertThat(run.out())
                .contains("url: imaps://mail.example.com:993", "ca: " + ca, "url: smtps://smtp.example.com:465")
                .contains("folder: INBOX", "idle-timeout: 5m", "connections: 1000", "reload-interval: 10s")
                .as("the engine a start would use, here").contains("engine: auto (here " + (TlsEngine.OPENSSL.loads()
                        ? TlsEngine.OPENSSL.description() : TlsEngine.JDK.description()) + ")")
                .contains("warm-up: true")
                .contains("key-password: '" + EffectiveSettings.MASK + "'")
                .doesNotContain("hunter2")
                .endsWith("# " + file() + ": configuration OK" + System.lineSeparator());
    }

    @Test
    void aValueOfTheWrongKindIsTheLoadersLine() throws Exception {
        Run run = check("""
                upstream: pop3s://mail.example.com
                limits:
                  idle-timeout: ten minutes
                """);

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith(file() + ":3: key 'limits.idle-timeout': ");
    }

    @Test
    void anUnknownKeyIsNamedAtItsLine() throws Exception {
        Run run = check("""
                upstream: pop3s://mail.example.com
                tls:
                  reload-intervall: 5s
                """);

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).startsWith(file() + ":3: key 'tls.reload-intervall': unknown key (known here: ");
    }

    @Test
    void anSmtpListenerWithoutASubmissionServerIsRefusedAsAStartWould() throws Exception {
        Run run = check("""
                listen:
                  - pop3s://127.0.0.1:1995
                  - smtps://127.0.0.1:1465
                upstream: pop3s://mail.example.com
                """);

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).startsWith(file() + ":3: key 'listen[1]': the SMTP listener smtps://127.0.0.1:1465 "
                + "needs a server to send mail through, and there is no submission: ");
    }

    @Test
    void noUpstreamForTheDefaultListenersIsRefused() throws Exception {
        Run run = check("""
                shutdown-grace: 5s
                """);

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).startsWith(file() + ": key 'listen': the default listeners "
                + "(pop3://127.0.0.1:1110, pop3s://127.0.0.1:1995) need");
    }

    @Test
    void everyMissingOrBrokenCertificateIsReportedAtItsLineInOneRun() throws Exception {
        Path notPem = Files.writeString(dir.resolve("not.pem"), "just text\n");

        Run run = check("""
                upstream:
                  url: pop3s://mail.example.com
                  ca: %s
                tls:
                  cert: %s
                  key: %s
                """.formatted(notPem, dir.resolve("missing.crt"), key));

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err().lines().toList()).hasSize(3);
        assertThat(run.err().lines().toList().get(0)).startsWith(file() + ":3: key 'upstream.ca': ").contains(notPem.toString());
        assertThat(run.err().lines().toList().get(1))
                .isEqualTo(file() + ":5: key 'tls.cert': Certificate file " + dir.resolve("missing.crt") + " does not exist");
        assertThat(run.err()).contains("2 problem(s); popbridge would not start");
    }

    @Test
    void aKeyThatDoesNotMatchItsCertificateIsRefused() throws Exception {
        Path otherKey = TestCertificates.write(dir, "other", pki.issue("other.example.test"))[1];

        Run run = check("""
                upstream: pop3s://mail.example.com
                tls:
                  cert: %s
                  key: %s
                """.formatted(cert, otherKey));

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).startsWith(file() + ":3: key 'tls.cert': ");
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        Instant now = Instant.now();
        Path[] expired = TestCertificates.write(dir, "expired",
                pki.issue(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), "mail.example.test"));

        Run run = check("""
                upstream: pop3s://mail.example.com
                tls:
                  sni:
                    - names: [mail.example.test]
                      cert: %s
                      key: %s
                """.formatted(expired[0], expired[1]));

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).startsWith(file() + ":5: key 'tls.sni[0].cert': " + expired[0] + " expired on ");
    }

    /** A directory where the certificate should be: unreadable as a file even to root, which CI runs as. */
    @Test
    void anUnreadableCertificateIsRefused() throws Exception {
        Path unreadable = Files.createDirectory(dir.resolve("unreadable.crt"));

        Run run = check("""
                upstream: pop3s://mail.example.com
                tls:
                  cert: %s
                  key: %s
                """.formatted(unreadable, key));

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).startsWith(file() + ":3: key 'tls.cert': ").contains(unreadable.toString());
    }

    @Test
    void anOauth2UpstreamShowsItsProviderAndNamesTheSecretsVariableOnly() throws Exception {
        // PATH is set wherever the tests run: the provider's secret is its value, which must not show.
        Run run = check("""
                upstream:
                  url: imaps://imap.example.com
                  auth: oauth2
                  provider:
                    type: microsoft
                    tenant: contoso.onmicrosoft.com
                    client-id: 0a1b2c3d
                    client-secret-env: PATH
                """);

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("auth: oauth2", "type: microsoft", "client-secret-env: PATH",
                "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token")
                .doesNotContain(System.getenv("PATH"));
    }
}
