package org.popbridge.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.LimitsConfig;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.testing.ConnectionEnd;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;

/**
 * RFC 2449 section 4's 255-octet command line, the consecutive-error limit, and what happens
 * to an HTTP request sent to the POP3 port (a cross-protocol, ALPACA-style request).
 */
class CommandLimitsTest {

    @TempDir
    Path stateDir;

    private ScriptedPop3Server upstream;
    private ProxyFixture proxy;

    private void startProxy(LimitsConfig limits) throws Exception {
        upstream = new ScriptedPop3Server("alice", "secret", List.of(MessageSource.of("Subject: one\r\n\r\nbody\r\n")));
        proxy = ProxyFixture.start(PopbridgeConfig.defaults()
                .withListen(List.of(ListenerConfig.parse("pop3://127.0.0.1:0")))
                .withUpstream(UpstreamConfig.parse("pop3://127.0.0.1:" + upstream.port()))
                .withStateDir(stateDir)
                .withLimits(limits));
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

    /** "USER " and a name, padded so the line is {@code octets} long with its CRLF. */
    private static String userLineOf(int octets) {
        return "USER " + "a".repeat(octets - "USER ".length() - 2);
    }

    @Test
    void aCommandLineOf255OctetsIsAcceptedAnd256IsRefused() throws Exception {
        startProxy(LimitsConfig.defaults());
        try (RawPop3Client client = connect()) {
            String longest = userLineOf(255);
            assertThat(client.command(longest)).startsWith("+OK");

            String tooLong = userLineOf(256);
            assertThat(client.command(tooLong)).startsWith("-ERR");

            client.login("alice", "secret");
            assertThat(client.command("STAT")).isEqualTo("+OK 1 22");
            // USER is answered by popbridge until the login is whole; then the server gets it.
            assertThat(upstream.commandsSeen()).containsExactly("CAPA", "USER alice", "PASS secret", "STAT");
        }
    }

    @Test
    void aLongestLineSplitAcrossWritesIsStillOneCommand() throws Exception {
        startProxy(LimitsConfig.defaults());
        try (RawPop3Client client = connect()) {
            String longest = userLineOf(255);
            client.sendRaw(longest.substring(0, 200)).sendRaw(longest.substring(200) + "\r").sendRaw("\n");
            assertThat(client.readLine()).startsWith("+OK");
            assertThat(upstream.connectionsAccepted()).as("no login yet, so no upstream connection").isZero();
        }
    }

    @Test
    void aLineWithACarriageReturnOrNulInsideIsRefusedAndNeverRelayed() throws Exception {
        startProxy(LimitsConfig.defaults());
        try (RawPop3Client client = connect()) {
            client.login("alice", "secret");
            assertThat(client.command("NOOP\rDELE 1")).startsWith("-ERR");
            assertThat(client.command("NOOP\0DELE 1")).startsWith("-ERR");
            assertThat(client.command("STAT")).isEqualTo("+OK 1 22");
            assertThat(upstream.commandsSeen()).containsExactly("CAPA", "USER alice", "PASS secret", "STAT");
        }
    }

    @Test
    void aVeryLongLineIsOneErrorAndTheNextCommandWorks() throws Exception {
        startProxy(LimitsConfig.defaults());
        try (RawPop3Client client = connect()) {
            client.sendRaw("USER " + "b".repeat(5000));
            client.sendRaw("c".repeat(5000) + "\r\nUSER alice\r\n");
            assertThat(client.readLine()).startsWith("-ERR");
            assertThat(client.readLine()).startsWith("+OK");
            RawPop3Client.expectOk(client.command("PASS secret"));
            assertThat(upstream.commandsSeen()).containsExactly("CAPA", "USER alice", "PASS secret");
        }
    }

    @Test
    void moreThanTenConsecutiveErrorsCloseTheConnectionWithoutQuitUpstream() throws Exception {
        startProxy(LimitsConfig.defaults());
        try (RawPop3Client client = connect()) {
            client.login("alice", "secret");
            RawPop3Client.expectOk(client.command("DELE 1"));
            for (int i = 1; i <= 10; i++) {
                assertThat(client.command("BOGUS " + i)).as("error %d", i).startsWith("-ERR");
            }
            assertThat(client.command("BOGUS 11")).as("the eleventh error").startsWith("-ERR");
            assertThat(ConnectionEnd.linesUntilClosed(client)).as("nothing after the final -ERR; the connection is closed")
                    .isEmpty();
        }
        assertThat(upstream.awaitSessionsEnded(1, 10_000)).isTrue();
        assertThat(upstream.quitCount()).isZero();
        assertThat(upstream.commandsSeen()).doesNotContain("QUIT");
        assertThat(upstream.expunged()).as("the DELE was not applied").isEmpty();
    }

    @Test
    void pipelinedErrorsCountTheSame() throws Exception {
        startProxy(LimitsConfig.defaults());
        try (RawPop3Client client = connect()) {
            client.sendRaw("STAT\r\n".repeat(11) + "USER alice\r\n");
            for (int i = 1; i <= 11; i++) {
                assertThat(client.readLine()).as("reply %d", i).startsWith("-ERR");
            }
            assertThat(ConnectionEnd.linesUntilClosed(client)).as("USER after the limit is never answered").isEmpty();
        }
        assertThat(upstream.connectionsAccepted()).as("no login, so no upstream connection").isZero();
    }

    @Test
    void aConfiguredSmallerLimitApplies() throws Exception {
        startProxy(LimitsConfig.of(null, null, 3, null, null, null));
        try (RawPop3Client client = connect()) {
            for (int i = 1; i <= 3; i++) {
                assertThat(client.command("RETR " + i)).as("error %d", i).startsWith("-ERR");
            }
            assertThat(client.command("RETR 4")).startsWith("-ERR");
            assertThat(ConnectionEnd.linesUntilClosed(client)).isEmpty();
        }
        assertThat(upstream.quitCount()).isZero();
        assertThat(upstream.connectionsAccepted()).as("no login, so no upstream connection").isZero();
    }

    @Test
    void aValidCommandInBetweenResetsTheCount() throws Exception {
        startProxy(LimitsConfig.of(null, null, 3, null, null, null));
        try (RawPop3Client client = connect()) {
            for (int round = 0; round < 4; round++) {
                for (int i = 1; i <= 3; i++) {
                    assertThat(client.command("STAT")).as("round %d error %d", round, i).startsWith("-ERR");
                }
                RawPop3Client.expectOk(client.command("CAPA"));
                client.readBody();
            }
            client.login("alice", "secret");
            for (int i = 1; i <= 3; i++) {
                assertThat(client.command("XYZZY")).startsWith("-ERR");
            }
            assertThat(client.command("RETR 7")).as("the upstream's -ERR is not a protocol error").startsWith("-ERR");
            for (int i = 1; i <= 3; i++) {
                assertThat(client.command("DELE x")).startsWith("-ERR");
            }
            assertThat(client.command("STAT")).isEqualTo("+OK 1 22");
        }
    }

    @Test
    void aBrowserRequestToThePop3PortEndsInTheConnectionBeingClosed() throws Exception {
        startProxy(LimitsConfig.defaults());
        try (RawPop3Client client = connect()) {
            client.sendRaw("GET / HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:110\r\n"
                    + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
                    + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
                    + "Accept-Language: en-US,en;q=0.5\r\n"
                    + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
                    + "Connection: keep-alive\r\n"
                    + "Upgrade-Insecure-Requests: 1\r\n"
                    + "Sec-Fetch-Dest: document\r\n"
                    + "Sec-Fetch-Mode: navigate\r\n"
                    + "Sec-Fetch-Site: none\r\n"
                    + "Sec-Fetch-User: ?1\r\n"
                    + "Priority: u=0, i\r\n"
                    + "\r\n");
            assertThat(ConnectionEnd.linesUntilClosed(client)).as("everything the proxy answered before closing")
                    .isNotEmpty().allMatch(line -> line.startsWith("-ERR"));
        }
        assertThat(upstream.connectionsAccepted()).as("no login, so no upstream connection").isZero();
    }

    @Test
    void aShortHttpRequestEndsInTheConnectionBeingClosed() throws Exception {
        startProxy(LimitsConfig.defaults());
        try (RawPop3Client client = connect()) {
            client.sendRaw("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n");
            assertThat(ConnectionEnd.linesUntilClosed(client)).as("everything the proxy answered before closing")
                    .isNotEmpty().allMatch(line -> line.startsWith("-ERR"));
        }
        assertThat(upstream.connectionsAccepted()).as("no login, so no upstream connection").isZero();
    }

    @Test
    void anHttpRequestWhoseRequestLineIsTooLongIsRecognisedByItsHeaders() throws Exception {
        startProxy(LimitsConfig.defaults());
        try (RawPop3Client client = connect()) {
            String body = "USER alice\r\nPASS secret\r\n";
            client.sendRaw("POST /" + "p".repeat(400) + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:110\r\n"
                    + "Content-Length: " + body.length() + "\r\n"
                    + "\r\n"
                    + body);
            assertThat(ConnectionEnd.linesUntilClosed(client)).as("everything the proxy answered before closing")
                    .isNotEmpty().allMatch(line -> line.startsWith("-ERR"));
        }
        assertThat(upstream.connectionsAccepted()).as("no login, so no upstream connection").isZero();
    }

    @Test
    void pop3CommandsInTheBodyOfAnHttpPostNeverReachTheUpstream() throws Exception {
        startProxy(LimitsConfig.defaults());
        try (RawPop3Client client = connect()) {
            String body = "USER alice\r\nPASS secret\r\nDELE 1\r\nQUIT\r\n";
            client.sendRaw("POST /upload HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:110\r\n"
                    + "Origin: https://attacker.example\r\n"
                    + "Content-Type: text/plain\r\n"
                    + "Content-Length: " + body.length() + "\r\n"
                    + "\r\n"
                    + body);
            assertThat(ConnectionEnd.linesUntilClosed(client)).as("everything the proxy answered before closing")
                    .isNotEmpty().allMatch(line -> line.startsWith("-ERR"));
        }
        assertThat(upstream.connectionsAccepted()).as("no login, so no upstream connection").isZero();
        assertThat(upstream.expunged()).isEmpty();
    }
}
