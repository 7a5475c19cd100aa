package org.popbridge.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.popbridge.proxy.core.session.CidrBlock;
import org.popbridge.proxy.core.upstream.ClientForwarding;
import org.popbridge.proxy.core.upstream.ProxyHeader;

/** The real client's address in the config: a listener's proxy-protocol, and what each server is told. */
class ProxyProtocolConfigTest {

    @TempDir
    Path dir;

    @Test
    void aListenerBehindLoadBalancersTrustsTheirNetworksAndWaitsTenSecondsForTheHeader() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                upstream: pop3s://mail.example.com
                listen:
                  - url: pop3://0.0.0.0:110
                    proxy-protocol:
                      trusted: [10.0.0.0/8, 192.168.1.5/32, "2001:db8::/32", 172.16.0.9]
                  - pop3s://0.0.0.0:995
                """);

        ListenerConfig behind = config.listen().get(0);
        assertThat(behind.proxyProtocol().networks()).extracting(CidrBlock::toString)
                .containsExactly("10.0.0.0/8", "192.168.1.5/32", "2001:db8:0:0:0:0:0:0/32", "172.16.0.9/32");
        assertThat(behind.proxyProtocol().headerTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.listen().get(1).proxyProtocol()).isNull();
    }

    @Test
    void everyServerMayBeToldTheClientsAddressAndSentAProxyHeader() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                listen: [pop3://127.0.0.1:1110, smtp://127.0.0.1:1587]
                upstream:
                  url: pop3s://mail.example.com
                  forward-client-address: true
                  proxy-protocol: v2
                submission:
                  url: smtps://smtp.example.com
                  forward-client-address: true
                  proxy-protocol: V1
                routes:
                  - match: "*@branch.example.com"
                    upstream:
                      url: imaps://imap.branch.example.com
                      forward-client-address: true
                    submission:
                      url: smtps://smtp.branch.example.com
                      xclient: true
                  - match: boss@example.com
                    upstream: pop3s://pop.example.net
                """);

        assertThat(config.upstream().forwarding()).isEqualTo(new ClientForwarding(true, ProxyHeader.V2));
        assertThat(config.submission().server().forwarding()).isEqualTo(new ClientForwarding(true, ProxyHeader.V1));
        assertThat(config.submission().xclient()).as("forward-client-address is XCLIENT on SMTP").isTrue();
        assertThat(config.routes().get(0).upstream().forwarding()).isEqualTo(new ClientForwarding(true, ProxyHeader.NONE));
        assertThat(config.routes().get(0).submission().xclient()).isTrue();
        assertThat(config.routes().get(0).submission().server().forwarding().inProtocol())
                .as("xclient is the older name of forward-client-address").isTrue();
        assertThat(config.routes().get(1).upstream().forwarding()).isEqualTo(ClientForwarding.none());
    }

    @Test
    void aCommandLineUrlOverTheFilesKeepsWhatTheServerIsTold() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                upstream:
                  url: pop3s://mail.example.com
                  forward-client-address: true
                  proxy-protocol: v2
                """);

        assertThat(config.upstream().withUrl("imaps://imap.example.com").forwarding())
                .isEqualTo(new ClientForwarding(true, ProxyHeader.V2));
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("a host name among the trusted networks", """
                        upstream: pop3s://mail.example.com
                        listen:
                          - url: pop3://0.0.0.0:110
                            proxy-protocol:
                              trusted:
                                - 10.0.0.0/8
                                - lb.example.com
                        """,
                        "7: key 'listen[0].proxy-protocol.trusted[1]': 'lb.example.com' is not an IP address block "
                                + "such as 10.0.0.0/8 or 2001:db8::/32"),
                Arguments.of("a prefix longer than the address", """
                        upstream: pop3s://mail.example.com
                        listen:
                          - url: pop3://0.0.0.0:110
                            proxy-protocol:
                              trusted: [10.0.0.0/33]
                        """,
                        "5: key 'listen[0].proxy-protocol.trusted[0]': '10.0.0.0/33': the prefix length after / "
                                + "must be 0 to 32"),
                Arguments.of("an address with bits past the prefix", """
                        upstream: pop3s://mail.example.com
                        listen:
                          - url: pop3://0.0.0.0:110
                            proxy-protocol:
                              trusted: ["fd00::1/8"]
                        """,
                        "5: key 'listen[0].proxy-protocol.trusted[0]': 'fd00::1/8' has bits set past the prefix: "
                                + "write fd00:0:0:0:0:0:0:0/8 for the block, or fd00::1 alone for one address"),
                Arguments.of("no trusted networks", """
                        upstream: pop3s://mail.example.com
                        listen:
                          - url: pop3://0.0.0.0:110
                            proxy-protocol:
                              trusted: []
                        """,
                        "5: key 'listen[0].proxy-protocol.trusted': the load balancers' networks, e.g. trusted: "
                                + "[10.0.0.0/8]; every connection to this listener must come from one of them"),
                Arguments.of("a version on a listener", """
                        upstream: pop3s://mail.example.com
                        listen:
                          - url: pop3://0.0.0.0:110
                            proxy-protocol: v2
                        """,
                        "4: key 'listen[0].proxy-protocol': a listener's proxy-protocol takes trusted: [CIDR, ...], "
                                + "the load balancers' networks; it reads v1 and v2 headers alike ('v2' is for an upstream)"),
                Arguments.of("an unknown version on the upstream", """
                        upstream:
                          url: pop3s://mail.example.com
                          proxy-protocol: v3
                        """,
                        "3: key 'upstream.proxy-protocol': unknown PROXY protocol version 'v3' "
                                + "(use v2, or v1 for a server that reads only the text header)"),
                Arguments.of("true for a version on a route's upstream", """
                        routes:
                          - match: "*"
                            upstream:
                              url: imaps://imap.example.com
                              proxy-protocol: true
                        """,
                        "5: key 'routes[0].upstream.proxy-protocol': unknown PROXY protocol version 'true' "
                                + "(use v2, or v1 for a server that reads only the text header)"),
                Arguments.of("an unknown version on the submission server", """
                        listen: [smtps://0.0.0.0:465]
                        submission:
                          url: smtps://smtp.example.com
                          proxy-protocol: 2
                        """,
                        "4: key 'submission.proxy-protocol': unknown PROXY protocol version '2' "
                                + "(use v2, or v1 for a server that reads only the text header)"),
                Arguments.of("xclient and forward-client-address saying different things", """
                        listen: [smtps://0.0.0.0:465]
                        submission:
                          url: smtps://smtp.example.com
                          xclient: true
                          forward-client-address: false
                        """,
                        "4: key 'submission.xclient': xclient is the older name of forward-client-address; "
                                + "give one of them, not both with different values"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void aMistakeNamesTheFileLineKeyAndProblem(String mistake, String yaml, String expected) throws IOException {
        ConfigFiles.assertMistake(dir, yaml, expected);
    }
}
