package org.popbridge.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;

/** APOP (RFC 1939 section 7) end to end: the proxy's greeting carries the upstream's timestamp. */
class ApopTest {

    @TempDir
    Path stateDir;

    private ScriptedPop3Server upstream;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        upstream = new ScriptedPop3Server("alice", "secret", List.of(MessageSource.of("Subject: x\r\n\r\ny\r\n")));
        proxy = ProxyFixture.inFrontOfWithApop(upstream.port(), stateDir);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        upstream.close();
    }

    @Test
    void aPassWithoutAnAcceptedUserIsRefusedWithoutReachingTheServer() throws Exception {
        // With apop: true the session relays to a server connected from the start; PASS still needs USER first.
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            assertThat(client.command("PASS secret")).isEqualTo("-ERR Send USER first");
            RawPop3Client.expectOk(client.command("USER alice"));
            RawPop3Client.expectOk(client.command("PASS secret"));
        }
        assertThat(upstream.commandsSeen()).containsExactly("CAPA", "USER alice", "PASS secret");
    }

    @Test
    void greetingCarriesTheUpstreamTimestampAndApopLogsIn() throws Exception {
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            String greeting = client.readLine();
            assertThat(greeting).startsWith("+OK ").endsWith(" " + ScriptedPop3Server.TIMESTAMP);
            assertThat(client.command("APOP alice " + ScriptedPop3Server.apopDigest("secret"))).startsWith("+OK");
            assertThat(client.command("STAT")).isEqualTo("+OK 1 17");
        }
    }

    @Test
    void apopOverImplicitTlsLogsIn() throws Exception {
        try (RawPop3Client client = RawPop3Client.tls(proxy.tlsPort(), proxy.certificate())) {
            assertThat(client.readLine()).contains(ScriptedPop3Server.TIMESTAMP);
            assertThat(client.command("APOP alice " + ScriptedPop3Server.apopDigest("secret"))).startsWith("+OK");
            assertThat(client.command("STAT")).isEqualTo("+OK 1 17");
        }
    }

    @Test
    void aWrongDigestIsRefusedAndTheSessionGoesOn() throws Exception {
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            assertThat(client.command("APOP alice " + ScriptedPop3Server.apopDigest("wrong"))).startsWith("-ERR");
            assertThat(client.command("STAT")).as("not logged in").startsWith("-ERR");
            assertThat(client.command("APOP alice " + ScriptedPop3Server.apopDigest("secret"))).startsWith("+OK");
            assertThat(client.command("STAT")).isEqualTo("+OK 1 17");
        }
    }

    /** A proxy whose one listener is {@code listener} (YAML of a list item's keys), APOP offered. */
    private ProxyFixture proxyWithListener(String listenerKeys) throws Exception {
        String yaml = """
                listen:
                  - url: pop3://127.0.0.1:0
                %s
                upstream:
                  url: pop3://127.0.0.1:%d
                  apop: true
                state-dir: %s
                """.formatted(listenerKeys, upstream.port(), stateDir);
        return ProxyFixture.start(new ConfigLoader().load(Path.of("apop.yaml"), yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void onARequireTlsListenerApopWaitsForStlsLikeEveryLogin() throws Exception {
        try (ProxyFixture strict = proxyWithListener("    require-tls: true");
             RawPop3Client client = RawPop3Client.plain(strict.plainPort())) {
            assertThat(client.readLine()).endsWith(ScriptedPop3Server.TIMESTAMP);
            assertThat(client.command("APOP alice " + ScriptedPop3Server.apopDigest("secret")))
                    .isEqualTo("-ERR [AUTH] Every login needs TLS here; use STLS first");
            assertThat(client.command("USER alice")).startsWith("-ERR [AUTH] Plaintext authentication is disabled here");
            RawPop3Client.expectOk(client.command("STLS"));
            client.startTls(strict.certificate());
            assertThat(client.command("APOP alice " + ScriptedPop3Server.apopDigest("secret"))).startsWith("+OK");
            assertThat(client.command("STAT")).isEqualTo("+OK 1 17");
        }
        assertThat(upstream.commandsSeen()).filteredOn(line -> line.startsWith("APOP")).hasSize(1);
    }

    @Test
    void requireTlsForAuthAloneStillTakesApopInClearAsItsDigestHidesThePassword() throws Exception {
        try (ProxyFixture proxy = proxyWithListener("    require-tls-for-auth: true");
             RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            assertThat(client.command("USER alice")).startsWith("-ERR [AUTH] Plaintext authentication is disabled here");
            assertThat(client.command("APOP alice " + ScriptedPop3Server.apopDigest("secret"))).startsWith("+OK");
        }
    }

    @Test
    void requireTlsWithRequireTlsForAuthFalseIsAContradiction() {
        assertThatThrownBy(() -> proxyWithListener("    require-tls: true\n    require-tls-for-auth: false"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("apop.yaml:3: key 'listen[0].require-tls'")
                .hasMessageContaining("require-tls-for-auth: false allows");
    }

    @Test
    void apopWithOneArgumentIsASyntaxError() throws Exception {
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            assertThat(client.command("APOP alice")).startsWith("-ERR");
            RawPop3Client.expectOk(client.command("CAPA"));
            client.readBody();
            assertThat(upstream.commandsSeen()).containsExactly("CAPA", "CAPA");
        }
    }
}
