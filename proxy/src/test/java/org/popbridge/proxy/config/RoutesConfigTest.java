package org.popbridge.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.popbridge.proxy.core.routing.UserPattern;
import org.popbridge.proxy.core.routing.UserRewrite;
import org.popbridge.proxy.core.upstream.CommitFallback;
import org.popbridge.proxy.core.upstream.ImapOptions;

/** {@code routes:}: upstreams by user and by domain, the default route, and the mistakes around them. */
class RoutesConfigTest {

    @TempDir
    Path dir;

    @Test
    void routesBindWithTheirUpstreamsAndRewrites() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                upstream: imaps://imap.example.com
                routes:
                  - match: boss@example.com
                    upstream: pop3s://pop.example.net
                  - match: "*@branch.example.com"
                    strip-domain: true
                    upstream:
                      url: imaps://imap.branch.example.com
                      ca: /etc/popbridge/branch-ca.pem
                      folder: Scans
                      mark-seen: false
                  - match: scanner
                    add-domain: example.com
                    upstream: pop3+stls://pop.example.net:1100
                """);

        assertThat(config.upstream()).isEqualTo(UpstreamConfig.parse("imaps://imap.example.com"));
        assertThat(config.routes()).containsExactly(
                new RouteConfig(UserPattern.parse("boss@example.com"), UpstreamConfig.parse("pop3s://pop.example.net"),
                        UserRewrite.keep()),
                new RouteConfig(UserPattern.parse("*@branch.example.com"),
                        UpstreamConfig.of("imaps://imap.branch.example.com", Path.of("/etc/popbridge/branch-ca.pem"),
                                null, null, null, null, "Scans", false, null, null, null, null, null, null, null, null),
                        UserRewrite.stripDomain()),
                new RouteConfig(UserPattern.parse("scanner"), UpstreamConfig.parse("pop3+stls://pop.example.net:1100"),
                        UserRewrite.addDomain("example.com")));
        assertThat(config.routes().get(1).upstream().imap())
                .isEqualTo(new ImapOptions("Scans", false, CommitFallback.flagOnly()));
        assertThat(config.routes().get(1).upstream().replyTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aStarRouteIsTheDefaultWhenThereIsNoTopLevelUpstream() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                routes:
                  - match: "*"
                    add-domain: example.com
                    upstream: imaps://imap.example.com
                  - match: alice@example.org
                    upstream: pop3s://pop.example.org
                """);

        assertThat(config.upstream()).isNull();
        assertThat(config.routes()).extracting(RouteConfig::isDefault).containsExactly(true, false);
        assertThat(config.routes().get(0).rewrite().apply("bob")).isEqualTo("bob@example.com");
    }

    @Test
    void routesWithoutADefaultAreAllowed() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, "routes:\n  - match: \"*@example.com\"\n    upstream: pop3s://pop.example.com\n");

        assertThat(config.upstream()).isNull();
        assertThat(config.routes()).hasSize(1);
    }

    @Test
    void withoutRoutesTheListIsEmpty() throws Exception {
        assertThat(ConfigFiles.load(dir, "upstream: pop3s://mail.example.com\n").routes()).isEmpty();
        assertThat(PopbridgeConfig.defaults().routes()).isEmpty();
    }

    @Test
    void strippingTurnedOffIsNoRewrite() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                routes:
                  - match: alice@example.com
                    strip-domain: false
                    upstream: pop3s://pop.example.com
                """);

        assertThat(config.routes().get(0).rewrite()).isEqualTo(UserRewrite.keep());
    }

    @Test
    void aTopLevelUpstreamSetInCodeCannotJoinAStarRoute() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, "routes:\n  - match: \"*\"\n    upstream: pop3s://pop.example.com\n");

        assertThatThrownBy(() -> config.withUpstream(UpstreamConfig.parse("pop3s://other.example.com")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two default routes");
        assertThat(config.withRoutes(List.of()).withUpstream(UpstreamConfig.parse("pop3s://other.example.com"))
                .routes()).isEmpty();
    }

    @Test
    void routesTakeASubmissionServerSoMailIsSentWhereItIsRead() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                listen:
                  - pop3s://0.0.0.0:995
                  - smtps://0.0.0.0:465
                upstream: pop3s://mail.example.com
                submission: smtps://mail.example.com
                routes:
                  - match: "*@branch.example.com"
                    strip-domain: true
                    upstream: imaps://imap.branch.example.com
                    submission:
                      url: smtp+starttls://exchange.branch.example.com
                      ca: /etc/popbridge/branch-ca.pem
                      auth-mechanism: login
                      xclient: true
                  - match: boss@example.com
                    upstream: pop3s://pop.example.net
                  - match: scanner@example.com
                    submission: smtps://relay.example.net
                """);

        RouteConfig branch = config.routes().get(0);
        assertThat(branch.upstream().url()).isEqualTo("imaps://imap.branch.example.com:993");
        assertThat(branch.submission()).isEqualTo(SubmissionConfig.of("smtp+starttls://exchange.branch.example.com",
                Path.of("/etc/popbridge/branch-ca.pem"), null, null, null, null, "login", true, null, null, null, null));
        assertThat(branch.submission().port()).isEqualTo(587);
        assertThat(branch.rewrite()).isEqualTo(UserRewrite.stripDomain());
        assertThat(config.routes().get(1).submission()).isNull();
        assertThat(config.routes().get(1)).isEqualTo(new RouteConfig(UserPattern.parse("boss@example.com"),
                UpstreamConfig.parse("pop3s://pop.example.net"), UserRewrite.keep()));
        assertThat(config.routes().get(2).upstream()).isNull();
        assertThat(config.routes().get(2).submission()).isEqualTo(SubmissionConfig.parse("smtps://relay.example.net"));
        assertThat(config.upstreamRoutes()).extracting(route -> route.match().toString())
                .containsExactly("*@branch.example.com", "boss@example.com");
        assertThat(config.submissionRoutes()).extracting(route -> route.match().toString())
                .containsExactly("*@branch.example.com", "scanner@example.com");
    }

    @Test
    void anSmtpOnlyConfigMayRouteBySubmissionAlone() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                listen:
                  - smtp://0.0.0.0:587
                routes:
                  - match: "*"
                    add-domain: example.com
                    submission: smtps://smtp.example.com
                  - match: "*@example.org"
                    submission: smtp+starttls://smtp.example.org
                """);

        assertThat(config.upstream()).isNull();
        assertThat(config.submission()).isNull();
        assertThat(config.hasUpstream()).isFalse();
        assertThat(config.hasSubmission()).isTrue();
        assertThat(config.routes().get(0).isDefault()).isTrue();
        assertThat(config.routes().get(0).rewrite().apply("bob")).isEqualTo("bob@example.com");
    }

    @Test
    void aStarRouteWithOnlyASubmissionServerLeavesTheTopLevelUpstreamTheReadingDefault() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                listen: [pop3s://0.0.0.0:995, smtps://0.0.0.0:465]
                upstream: pop3s://mail.example.com
                routes:
                  - match: "*"
                    submission: smtps://smtp.example.com
                """);

        assertThat(config.upstream()).isNotNull();
        assertThat(config.upstreamRoutes()).isEmpty();
        assertThat(config.submissionRoutes()).hasSize(1);
    }

    /** Each case: the file, then the message after "FILE:" — the line, the key and the problem. */
    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("a route without match", """
                        upstream: pop3s://mail.example.com
                        routes:
                          - upstream: pop3s://pop.example.net
                        """,
                        "3: key 'routes[0]': a route needs match: a user name (alice@example.com), "
                                + "\"*@example.com\" or \"*\""),
                Arguments.of("a route without upstream, second in the list", """
                        upstream: pop3s://mail.example.com
                        routes:
                          - match: alice
                            upstream: pop3s://pop.example.net
                          - match: bob
                            strip-domain: false
                        """,
                        "5: key 'routes[1]': a route needs an upstream, e.g. upstream: pop3s://mail.example.com, "
                                + "a submission server, e.g. submission: smtps://smtp.example.com, or both"),
                Arguments.of("a pattern with a star in the middle", """
                        routes:
                          - match: "a*@example.com"
                            upstream: pop3s://pop.example.net
                        """,
                        "2: key 'routes[0].match': 'a*@example.com': * stands only for a whole name (*) "
                                + "or for everything before @ (*@example.com)"),
                Arguments.of("a domain pattern without a domain", """
                        routes:
                          - upstream: pop3s://pop.example.net
                            match: "*@"
                        """,
                        "3: key 'routes[0].match': '*@' has no domain after *@"),
                Arguments.of("an empty pattern", """
                        routes:
                          - match: ""
                            upstream: pop3s://pop.example.net
                        """,
                        "2: key 'routes[0].match': must not be empty: write a user name (alice@example.com), "
                                + "*@domain or *"),
                Arguments.of("a pattern with a space", """
                        routes:
                          - match: "alice smith"
                            upstream: pop3s://pop.example.net
                        """,
                        "2: key 'routes[0].match': 'alice smith' contains a space or control character"),
                Arguments.of("an unquoted domain pattern", """
                        routes:
                          - match: *@example.com
                            upstream: pop3s://pop.example.net
                        """,
                        "2: not valid YAML: a value that starts with * must be in quotes, as in match: \"*@example.com\""),
                Arguments.of("an unquoted star", """
                        routes:
                          - match: alice
                            upstream: pop3s://pop.example.net
                          - match: *
                            upstream: pop3s://pop.example.org
                        """,
                        "4: not valid YAML: a value that starts with * must be in quotes, as in match: \"*@example.com\""),
                Arguments.of("an unquoted star that YAML reads as an alias", """
                        routes:
                          - match: *example
                            upstream: pop3s://pop.example.net
                        """,
                        "2: key 'routes[0].match': a value that starts with * must be in quotes, "
                                + "as in match: \"*@example.com\""),
                Arguments.of("the same user twice, in other case", """
                        routes:
                          - match: alice@example.com
                            upstream: pop3s://pop.example.net
                          - match: bob@example.com
                            upstream: pop3s://pop.example.net
                          - match: Alice@Example.COM
                            upstream: imaps://imap.example.net
                        """,
                        "6: key 'routes[2].match': 'Alice@Example.COM' is already routed by routes[0] "
                                + "('alice@example.com')"),
                Arguments.of("the same domain twice", """
                        routes:
                          - match: "*@example.com"
                            upstream: pop3s://pop.example.net
                          - upstream: imaps://imap.example.net
                            match: "*@EXAMPLE.com"
                        """,
                        "5: key 'routes[1].match': '*@EXAMPLE.com' is already routed by routes[0] ('*@example.com')"),
                Arguments.of("a star route and a top-level upstream", """
                        upstream: pop3s://mail.example.com
                        routes:
                          - match: alice@example.com
                            upstream: pop3s://pop.example.net
                          - match: "*"
                            upstream: imaps://imap.example.net
                        """,
                        "5: key 'routes[1].match': two default routes: this \"*\" route and the top-level upstream "
                                + "both take every user; remove one"),
                Arguments.of("two star routes", """
                        routes:
                          - match: "*"
                            upstream: pop3s://pop.example.net
                          - match: "*"
                            upstream: imaps://imap.example.net
                        """,
                        "4: key 'routes[1].match': '*' is already routed by routes[0] ('*')"),
                Arguments.of("strip-domain and add-domain together", """
                        routes:
                          - match: "*"
                            strip-domain: true
                            add-domain: example.com
                            upstream: pop3s://pop.example.net
                        """,
                        "4: key 'routes[0].add-domain': give strip-domain or add-domain, not both"),
                Arguments.of("add-domain that is not a domain", """
                        routes:
                          - match: scanner
                            add-domain: "@example.com"
                            upstream: pop3s://pop.example.net
                        """,
                        "3: key 'routes[0].add-domain': '@example.com' is not a domain such as example.com"),
                Arguments.of("add-domain on a domain route, where it could change nothing", """
                        routes:
                          - match: "*@example.com"
                            add-domain: example.org
                            upstream: pop3s://pop.example.net
                        """,
                        "3: key 'routes[0].add-domain': changes nothing here: '*@example.com' takes only names "
                                + "that already have a domain"),
                Arguments.of("strip-domain on a name without a domain", """
                        routes:
                          - match: scanner
                            strip-domain: true
                            upstream: pop3s://pop.example.net
                        """,
                        "3: key 'routes[0].strip-domain': changes nothing here: 'scanner' has no domain"),
                Arguments.of("strip-domain that is not true or false", """
                        routes:
                          - match: "*"
                            strip-domain: yes please
                            upstream: pop3s://pop.example.net
                        """,
                        "3: key 'routes[0].strip-domain': expected true or false, got 'yes please'"),
                Arguments.of("a misspelt route key", """
                        routes:
                          - match: alice
                            upstream: pop3s://pop.example.net
                            strip-domains: true
                        """,
                        "4: key 'routes[0].strip-domains': unknown key "
                                + "(known here: add-domain, match, strip-domain, submission, upstream)"),
                Arguments.of("a route's upstream with an unknown scheme", """
                        routes:
                          - match: alice
                            upstream: http://pop.example.net
                        """,
                        "3: key 'routes[0].upstream': unknown upstream scheme 'http' "
                                + "(use pop3://, pop3+stls://, pop3s://, imap://, imap+starttls:// or imaps://)"),
                Arguments.of("an IMAP key on a route's POP3 upstream", """
                        routes:
                          - match: alice
                            upstream:
                              url: pop3s://pop.example.net
                              folder: Archive
                        """,
                        "5: key 'routes[0].upstream.folder': only for an imap upstream; pop3s://pop.example.net:995 "
                                + "speaks POP3"),
                Arguments.of("an empty route", """
                        upstream: pop3s://mail.example.com
                        routes:
                          - match: alice
                            upstream: pop3s://pop.example.net
                          -
                        """,
                        "5: key 'routes[1]': an empty route; give match: and upstream: under the '- '"),
                Arguments.of("a star route's submission and a top-level submission", """
                        listen: [smtps://0.0.0.0:465]
                        submission: smtps://smtp.example.com
                        routes:
                          - match: "*"
                            submission: smtps://other.example.com
                        """,
                        "4: key 'routes[0].match': two default routes: this \"*\" route's submission and the top-level "
                                + "submission both take every user; remove one"),
                Arguments.of("a route's submission with a POP3 scheme", """
                        listen: [smtps://0.0.0.0:465]
                        routes:
                          - match: alice
                            submission: pop3s://pop.example.net
                        """,
                        "4: key 'routes[0].submission': 'pop3s' is for the upstream (upstream:), which mail is read "
                                + "from; the submission server takes smtp://, smtp+starttls:// or smtps://"),
                Arguments.of("a route's upstream with an SMTP scheme", """
                        routes:
                          - match: alice
                            upstream: smtps://smtp.example.net
                        """,
                        "3: key 'routes[0].upstream': 'smtps' is for the submission server (submission:), which mail "
                                + "is sent through; the upstream takes pop3://, pop3+stls://, pop3s://, imap://, "
                                + "imap+starttls:// or imaps://"),
                Arguments.of("a route's submission with an unknown auth mechanism", """
                        listen: [smtps://0.0.0.0:465]
                        routes:
                          - match: alice
                            submission:
                              url: smtps://smtp.example.net
                              auth-mechanism: ntlm
                        """,
                        "6: key 'routes[0].submission.auth-mechanism': unknown mechanism 'ntlm' (use plain or login)"),
                Arguments.of("a route written as a bare string", """
                        routes:
                          - alice@example.com
                        """,
                        "2: key 'routes[0]': expected 'key: value' settings"),
                Arguments.of("routes not written as a list", """
                        routes:
                          match: alice
                          upstream: pop3s://pop.example.net
                        """,
                        "1: key 'routes': expected a list, one '- ' item per line"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void aMistakeNamesTheFileLineKeyAndProblem(String mistake, String yaml, String expected) throws IOException {
        ConfigFiles.assertMistake(dir, yaml, expected);
    }
}
