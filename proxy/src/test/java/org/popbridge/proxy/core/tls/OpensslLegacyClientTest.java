package org.popbridge.proxy.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.ListenerTlsConfig;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.TlsConfig;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.ScriptedPop3Server;
import org.popbridge.proxy.testing.TestCertificates;

/**
 * The legacy profile with a real old-protocol client: openssl s_client forced to TLS 1.0/1.1
 * (OpenSSL 3 needs SECLEVEL=0 for them). Skipped where the openssl command is not installed.
 */
class OpensslLegacyClientTest {

    @TempDir
    static Path dir;

    private static ScriptedPop3Server upstream;
    private static ProxyFixture proxy;
    private static Path ca;

    @BeforeAll
    static void start() throws Exception {
        TestCertificates pki = TestCertificates.newCa();
        Path[] files = TestCertificates.write(dir, "server", pki.issue("mail.example.test"));
        ca = pki.writeCa(dir.resolve("ca.pem"));
        upstream = new ScriptedPop3Server("alice", "secret", List.of(MessageSource.of("Subject: hi\r\n\r\nbody\r\n")));
        proxy = ProxyFixture.start(PopbridgeConfig.defaults()
                .withListen(List.of(
                        ListenerConfig.parse("pop3s://127.0.0.1:0").withTls(ListenerTlsConfig.of("legacy", null, null)),
                        ListenerConfig.parse("pop3s://127.0.0.1:0"),
                        ListenerConfig.of("pop3://127.0.0.1:0", false).withTls(ListenerTlsConfig.of("legacy", null, null))))
                .withUpstream(UpstreamConfig.parse("pop3://127.0.0.1:" + upstream.port()))
                .withTls(new TlsConfig(files[0], files[1]))
                .withStateDir(dir.resolve("state")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1", "-tls1_1"})
    void opensslGetsTheOldVersionAndTheMailFromALegacyListener(String version) throws Exception {
        String output = sClient(proxy.address(0).getPort(), version);

        assertThat(output).contains("Protocol version: " + protocolName(version), "Verification: OK",
                "+OK popbridge ready", "+OK 1 ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1", "-tls1_1"})
    void opensslIsRefusedTheOldVersionByAModernListener(String version) throws Exception {
        String output = sClient(proxy.address(1).getPort(), version);

        assertThat(output).contains("alert protocol version").doesNotContain("+OK");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1", "-tls1_1"})
    void opensslUpgradesWithStlsToTheOldVersionOnALegacyListener(String version) throws Exception {
        String output = sClient(proxy.address(2).getPort(), version, "-starttls", "pop3");

        assertThat(output).contains("Protocol version: " + protocolName(version), "+OK 1 ");
    }

    private static String protocolName(String option) {
        return option.equals("-tls1") ? "TLSv1" : "TLSv1.1";
    }

    /** Logs in, asks STAT, quits; returns what s_client printed (stdout and stderr). */
    private static String sClient(int port, String version, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, version,
                "-cipher", "DEFAULT@SECLEVEL=0", "-CAfile", ca.toString(), "-verify_return_error", "-brief", "-crlf",
                "-ign_eof"));
        command.addAll(List.of(extra));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "openssl is not installed");
            throw e;
        }
        process.getOutputStream().write("USER alice\nPASS secret\nSTAT\nQUIT\n".getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().close();
        boolean ended = process.waitFor(30, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ended).as("openssl s_client ended; it printed: %s", output).isTrue();
        return output;
    }
}
