package org.popbridge.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
