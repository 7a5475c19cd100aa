package org.popbridge.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.TlsConfig;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;
import picocli.CommandLine;

/** {@code popbridge certs init|issue|show}: a local CA whose certificates clients can verify. */
class CertsCommandTest {

    @TempDir
    Path dir;

    @Test
    void initIssueAndServeACertificateThatAClientTrustingOnlyTheCaAccepts() throws Exception {
        Path state = dir.resolve("state");
        assertThat(run("certs", "init", "--state-dir", state.toString()).status()).isZero();
        Path caCert = state.resolve("ca/ca.crt");
        assertThat(caCert).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("ca/ca.key"))))
                .isEqualTo("rw-------");

        Result issued = run("certs", "issue", "--state-dir", state.toString(), "--name", "localhost", "--ip", "127.0.0.1");
        assertThat(issued.status()).isZero();
        assertThat(issued.out()).contains("cert: " + state.resolve("localhost.crt"), "key: " + state.resolve("localhost.key"));

        Result shown = run("certs", "show", state.resolve("localhost.crt").toString());
        assertThat(shown.status()).isZero();
        assertThat(shown.out()).contains("CN=localhost", "DNS names:    localhost", "IP addresses: 127.0.0.1", "SHA-256:");

        try (ScriptedPop3Server upstream = new ScriptedPop3Server("alice", "secret",
                        List.of(MessageSource.of("Subject: x\r\n\r\ny\r\n")));
                ProxyFixture proxy = ProxyFixture.start(PopbridgeConfig.defaults()
                        .withListen(List.of(ListenerConfig.parse("pop3s://127.0.0.1:0")))
                        .withUpstream(UpstreamConfig.parse("pop3://127.0.0.1:" + upstream.port()))
                        .withTls(new TlsConfig(state.resolve("localhost.crt"), state.resolve("localhost.key")))
                        .withStateDir(state));
                RawPop3Client client = RawPop3Client.tls(proxy.address(0).getPort(), caCert)) {
            assertThat(client.readLine()).startsWith("+OK popbridge ready");
        }
    }

    @Test
    void initRefusesToReplaceAnExistingCa() {
        Path state = dir.resolve("state");
        assertThat(run("certs", "init", "--state-dir", state.toString()).status()).isZero();
        Result again = run("certs", "init", "--state-dir", state.toString());
        assertThat(again.status()).isEqualTo(ExitCodes.CONFIG_ERROR);
        assertThat(again.err()).contains("already exists", state.resolve("ca").toString());
    }

    @Test
    void issueWithoutACaSaysToRunInitFirst() {
        Result result = run("certs", "issue", "--state-dir", dir.toString(), "--name", "mail.lan");
        assertThat(result.status()).isEqualTo(ExitCodes.CONFIG_ERROR);
        assertThat(result.err()).contains("popbridge certs init");
    }

    @Test
    void theHintAfterInitKeepsTheStateDirectoryAndWorksAsPrinted() {
        Path state = dir.resolve("elsewhere");
        Result init = run("certs", "init", "--state-dir", state.toString());
        String hint = init.out().lines().filter(line -> line.startsWith("then issue the server certificate: "))
                .findFirst().orElseThrow();
        assertThat(hint).contains("popbridge certs issue --state-dir " + state + " --name HOST");

        String[] printed = hint.substring(hint.indexOf("certs issue")).replace("HOST [--ip ADDRESS]", "mail.lan").split(" ");
        Result issued = run(printed);
        assertThat(issued.status()).isZero();
        assertThat(state.resolve("mail.lan.crt")).exists();
    }

    @Test
    void aBadArgumentToCertsExitsWith2() {
        Result missing = run("certs", "show", dir.resolve("no-such.crt").toString());
        assertThat(missing.status()).isEqualTo(ExitCodes.CONFIG_ERROR);
        assertThat(missing.err()).contains(dir.resolve("no-such.crt").toString(), "does not exist");

        Path state = dir.resolve("state");
        run("certs", "init", "--state-dir", state.toString());
        Result badIp = run("certs", "issue", "--state-dir", state.toString(), "--ip", "not-an-address");
        assertThat(badIp.status()).isEqualTo(ExitCodes.CONFIG_ERROR);
        assertThat(badIp.err()).contains("not-an-address");
    }

    @Test
    void issueWithoutANameOrAddressIsAUsageError() {
        Result result = run("certs", "issue", "--state-dir", dir.toString());
        assertThat(result.status()).isEqualTo(ExitCodes.CONFIG_ERROR);
        assertThat(result.err()).contains("--name or --ip");
    }

    @Test
    void showWithoutFilesListsTheStateDirectorysCertificates() {
        Path state = dir.resolve("state");
        run("certs", "init", "--state-dir", state.toString());
        Result shown = run("certs", "show", "--state-dir", state.toString());
        assertThat(shown.status()).isZero();
        assertThat(shown.out()).contains("== " + state.resolve("ca/ca.crt"), "CA:           yes");
    }

    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = new CommandLine(new PopbridgeCommand()).execute(args);
            return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }
}
