package org.popbridge.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;

/** A listener with require-tls-for-auth refuses clear-text logins before TLS (RFC 2595 section 2.3, RFC 3206 [AUTH]). */
class PlaintextLoginRefusalTest {

    @TempDir
    Path stateDir;

    private ScriptedPop3Server upstream;
    private ProxyFixture proxy;

    private void start(Boolean requireTlsForAuth) throws Exception {
        start(requireTlsForAuth, false);
    }

    private void start(Boolean requireTlsForAuth, boolean apop) throws Exception {
        upstream = new ScriptedPop3Server("alice", "secret", List.of(MessageSource.of("Subject: x\r\n\r\ny\r\n")));
        proxy = ProxyFixture.start(PopbridgeConfig.defaults()
                .withListen(List.of(ListenerConfig.of("pop3://127.0.0.1:0", requireTlsForAuth)))
                .withUpstream(UpstreamConfig.parse("pop3://127.0.0.1:" + upstream.port()).withApop(apop))
                .withStateDir(stateDir));
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private RawPop3Client connect() throws Exception {
        RawPop3Client client = RawPop3Client.plain(proxy.plainPort());
        RawPop3Client.expectOk(client.readLine());
        return client;
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void clearTextLoginsBeforeTlsAreRefusedWithAuthCodeAndNeverReachTheUpstream() throws Exception {
        start(true);
        try (RawPop3Client client = connect()) {
            for (String command : List.of("USER alice", "PASS secret", "AUTH PLAIN " + plain("alice", "secret"),
                    "AUTH PLAIN", "AUTH LOGIN", "AUTH", "user alice")) {
                assertThat(client.command(command)).as(command).startsWith("-ERR [AUTH] ");
            }
            assertThat(client.command("STAT")).as("still not logged in").startsWith("-ERR");
            RawPop3Client.expectOk(client.command("CAPA"));
            client.readBody();
            assertThat(upstream.connectionsAccepted()).as("no login, so no upstream connection").isZero();
        }
    }

    @Test
    void apopIsAllowedBeforeTls() throws Exception {
        start(true, true);
        try (RawPop3Client client = connect()) {
            assertThat(client.command("USER alice")).startsWith("-ERR [AUTH] ");
            RawPop3Client.expectOk(client.command("APOP alice " + ScriptedPop3Server.apopDigest("secret")));
            assertThat(client.command("STAT")).isEqualTo("+OK 1 17");
            assertThat(client.protocol()).isEqualTo("plain");
        }
    }

    @Test
    void afterStlsUserAndPassWork() throws Exception {
        start(true);
        try (RawPop3Client client = connect()) {
            assertThat(client.command("USER alice")).startsWith("-ERR [AUTH] ");
            RawPop3Client.expectOk(client.command("STLS"));
            client.startTls(proxy.certificate());
            client.login("alice", "secret");
            assertThat(client.command("STAT")).isEqualTo("+OK 1 17");
            assertThat(upstream.commandsSeen()).containsExactly("CAPA", "USER alice", "PASS secret", "STAT");
        }
    }

    @Test
    void afterStlsAuthPlainWorks() throws Exception {
        start(true);
        try (RawPop3Client client = connect()) {
            RawPop3Client.expectOk(client.command("STLS"));
            client.startTls(proxy.certificate());
            RawPop3Client.expectOk(client.command("AUTH PLAIN " + plain("alice", "secret")));
            assertThat(client.command("STAT")).isEqualTo("+OK 1 17");
        }
    }

    @Test
    void implicitTlsListenerRequiringTlsAllowsLogin() throws Exception {
        upstream = new ScriptedPop3Server("alice", "secret", List.of(MessageSource.of("Subject: x\r\n\r\ny\r\n")));
        proxy = ProxyFixture.start(PopbridgeConfig.defaults()
                .withListen(List.of(ListenerConfig.of("pop3s://127.0.0.1:0", true)))
                .withUpstream(UpstreamConfig.parse("pop3://127.0.0.1:" + upstream.port()))
                .withStateDir(stateDir));
        try (RawPop3Client client = RawPop3Client.tls(proxy.plainPort(), proxy.certificate())) {
            RawPop3Client.expectOk(client.readLine());
            client.login("alice", "secret");
            assertThat(client.command("STAT")).isEqualTo("+OK 1 17");
        }
    }

    @Test
    void loopbackListenerAllowsClearTextLoginByDefault() throws Exception {
        start(null);
        try (RawPop3Client client = connect()) {
            client.login("alice", "secret");
            assertThat(client.command("STAT")).isEqualTo("+OK 1 17");
            assertThat(client.protocol()).isEqualTo("plain");
        }
    }

    @Test
    void loopbackListenerAllowsAuthPlainInClearByDefault() throws Exception {
        start(null);
        try (RawPop3Client client = connect()) {
            RawPop3Client.expectOk(client.command("AUTH PLAIN " + plain("alice", "secret")));
            assertThat(client.command("STAT")).isEqualTo("+OK 1 17");
        }
    }
}
