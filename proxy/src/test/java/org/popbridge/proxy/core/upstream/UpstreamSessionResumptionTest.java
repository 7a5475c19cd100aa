package org.popbridge.proxy.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.core.tls.TlsEngine;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.Scrape;
import org.popbridge.proxy.testing.ScriptedPop3Server;
import org.popbridge.proxy.testing.TestCertificates;

/**
 * The second login to a TLS mail server resumes the TLS session of the first (a TLS 1.3 ticket)
 * instead of a full handshake, on either engine, with implicit TLS and after STLS; and a session
 * is resumed only under the trust settings that verified it (invariant 7).
 * What is counted is popbridge_upstream_tls_handshakes_total, as an administrator reads it.
 */
class UpstreamSessionResumptionTest {

    @TempDir
    Path dir;

    static Stream<Arguments> enginesAndSchemes() {
        return Stream.of("jdk", "openssl").flatMap(engine -> Stream.of("pop3s", "pop3+stls")
                .map(scheme -> Arguments.of(engine, scheme)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("enginesAndSchemes")
    void theSecondLoginResumesTheFirstLoginsSession(String engine, String scheme) throws Exception {
        assumeTrue(!engine.equals("openssl") || TlsEngine.OPENSSL.loads(), "netty-tcnative does not load here");
        TestCertificates pki = TestCertificates.newCa();
        Path ca = pki.writeCa(dir.resolve("ca.pem"));
        try (ScriptedPop3Server server = mailServer(scheme, pki)) {
            String url = scheme + "://localhost:" + server.port();
            try (ProxyFixture proxy = ProxyFixture.start(config(engine, """
                    upstream:
                      url: %s
                      ca: %s
                    """.formatted(url, ca)))) {
                readMessage(proxy, "alice");
                assertThat(handshakes(proxy, url)).as("the first login: a new session, verified")
                        .isEqualTo(Map.of("new", 1.0, "resumed", 0.0));

                readMessage(proxy, "alice");
                readMessage(proxy, "alice");
                assertThat(handshakes(proxy, url)).as("later logins: the session resumed, each time from the last")
                        .isEqualTo(Map.of("new", 1.0, "resumed", 2.0));
            }
        }
    }

    @Test
    void aSessionVerifiedWithTheCaIsNotResumedWithVerificationOff() throws Exception {
        TestCertificates pki = TestCertificates.newCa();
        Path ca = pki.writeCa(dir.resolve("ca.pem"));
        try (ScriptedPop3Server server = mailServer("pop3s", pki)) {
            String url = "pop3s://localhost:" + server.port();
            try (ProxyFixture proxy = ProxyFixture.start(config("auto", """
                    routes:
                      - match: alice
                        upstream:
                          url: %1$s
                          ca: %2$s
                      - match: "*@unverified.test"
                        strip-domain: true
                        upstream:
                          url: %1$s
                          insecure: true
                    """.formatted(url, ca)))) {
                readMessage(proxy, "alice");
                readMessage(proxy, "alice@unverified.test");
                assertThat(handshakes(proxy, url)).as("the same server, but another trust setting: a session of its own")
                        .isEqualTo(Map.of("new", 2.0, "resumed", 0.0));

                readMessage(proxy, "alice");
                assertThat(handshakes(proxy, url)).as("the verified route resumes its own session")
                        .isEqualTo(Map.of("new", 2.0, "resumed", 1.0));
            }
        }
    }

    private static ScriptedPop3Server mailServer(String scheme, TestCertificates pki) throws Exception {
        ScriptedPop3Server server = new ScriptedPop3Server("alice", "secret",
                List.of(MessageSource.of("Subject: hello\r\n\r\nbody\r\n")));
        return scheme.equals("pop3s") ? server.implicitTls(pki.serverContext("localhost"))
                : server.offerStls(pki.serverContext("localhost"));
    }

    private PopbridgeConfig config(String engine, String servers) throws Exception {
        String yaml = """
                listen:
                  - pop3://127.0.0.1:0
                tls: { engine: %s }
                state-dir: %s
                metrics: { listen: "127.0.0.1:0" }
                %s""".formatted(engine, dir.resolve("state"), servers);
        return new ConfigLoader().load(Path.of("resumption.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
    }

    /** A whole session: login, RETR, QUIT; the message must come through each time. */
    private static void readMessage(ProxyFixture proxy, String user) throws Exception {
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            client.login(user, "secret");
            RawPop3Client.expectOk(client.command("RETR 1"));
            assertThat(new String(client.readBody(), StandardCharsets.ISO_8859_1)).isEqualTo("Subject: hello\r\n\r\nbody\r\n.\r\n");
            RawPop3Client.expectOk(client.command("QUIT"));
        }
    }

    private static Map<String, Double> handshakes(ProxyFixture proxy, String url) throws Exception {
        String text = Scrape.get(proxy.server().metricsAddress(), "/metrics").body();
        return Map.of("new", Scrape.value(text, "popbridge_upstream_tls_handshakes_total", Map.of("route", url, "session", "new")),
                "resumed", Scrape.value(text, "popbridge_upstream_tls_handshakes_total",
                        Map.of("route", url, "session", "resumed")));
    }
}
