package org.popbridge.proxy.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.popbridge.proxy.core.upstream.ImapOptions;
import org.popbridge.proxy.core.upstream.UpstreamConnector;
import org.popbridge.proxy.core.upstream.UpstreamEndpoint;
import org.popbridge.proxy.core.upstream.UpstreamScheme;

class RouteTableTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    private static UpstreamConnector connector(UpstreamScheme scheme, String host) {
        return new UpstreamConnector(new UpstreamEndpoint(scheme, host, scheme.defaultPort(), null, SECOND, SECOND, SECOND));
    }

    private static Route pop3(String pattern, String host, UserRewrite rewrite) {
        return new Route(UserPattern.parse(pattern), connector(UpstreamScheme.POP3, host), rewrite, null);
    }

    private static Route imap(String pattern, String host) {
        return new Route(UserPattern.parse(pattern), connector(UpstreamScheme.IMAP, host), UserRewrite.keep(),
                ImapOptions.defaults());
    }

    private static String hostFor(RouteTable table, String user) {
        return table.forUser(user).map(route -> route.connector().endpoint().host()).orElse("refused");
    }

    @Test
    void anExactNameWinsOverItsDomainAndTheDomainOverTheDefaultInAnyOrder() {
        List<Route> routes = new ArrayList<>(List.of(
                pop3("*@example.com", "domain.test", UserRewrite.keep()),
                pop3("boss@example.com", "boss.test", UserRewrite.keep()),
                pop3("*@other.example", "other.test", UserRewrite.keep())));
        Route fallback = imap("*", "default.test");
        for (int shuffle = 0; shuffle < routes.size(); shuffle++) {
            Collections.rotate(routes, 1);
            RouteTable table = new RouteTable(routes, fallback);

            assertThat(hostFor(table, "boss@example.com")).isEqualTo("boss.test");
            assertThat(hostFor(table, "clerk@example.com")).isEqualTo("domain.test");
            assertThat(hostFor(table, "clerk@other.example")).isEqualTo("other.test");
            assertThat(hostFor(table, "clerk@elsewhere.example")).isEqualTo("default.test");
            assertThat(hostFor(table, "boss")).isEqualTo("default.test");
        }
    }

    @Test
    void namesAndDomainsMatchWithoutRegardToCase() {
        RouteTable table = new RouteTable(List.of(pop3("Boss@Example.com", "boss.test", UserRewrite.keep()),
                pop3("*@Branch.Example.com", "branch.test", UserRewrite.keep())), null);

        assertThat(hostFor(table, "BOSS@example.COM")).isEqualTo("boss.test");
        assertThat(hostFor(table, "clerk@BRANCH.example.com")).isEqualTo("branch.test");
    }

    @Test
    void withoutADefaultAUserNoRouteTakesIsRefused() {
        RouteTable table = new RouteTable(List.of(pop3("*@example.com", "domain.test", UserRewrite.keep())), null);

        assertThat(table.forUser("stranger@example.org")).isEmpty();
        assertThat(table.forUser("stranger")).isEmpty();
        assertThat(table.forUser("@example.com")).isEmpty();
        assertThat(table.defaultRoute()).isEmpty();
        assertThat(table.byUser()).isTrue();
    }

    @Test
    void theRouteCarriesTheRewriteAndImapSettingsForItsUsers() {
        RouteTable table = new RouteTable(List.of(pop3("*@branch.example.com", "branch.test", UserRewrite.stripDomain())),
                imap("*", "imap.test"));

        Route branch = table.forUser("clerk@branch.example.com").orElseThrow();
        assertThat(branch.rewrite().apply("clerk@branch.example.com")).isEqualTo("clerk");
        assertThat(branch.translatesToImap()).isFalse();
        Route fallback = table.forUser("clerk@example.com").orElseThrow();
        assertThat(fallback.rewrite().apply("clerk@example.com")).isEqualTo("clerk@example.com");
        assertThat(fallback.imap()).isEqualTo(ImapOptions.defaults());
    }

    @Test
    void aLoneDefaultWithoutRewritingIsNotByUser() {
        Route only = imap("*", "imap.test");
        RouteTable table = RouteTable.single(only);

        assertThat(table.byUser()).isFalse();
        assertThat(table.only()).isSameAs(only);
        assertThat(table.forUser("anyone")).contains(only);
        assertThat(table.routes()).containsExactly(only);
    }

    @Test
    void aLoneDefaultThatRewritesNeedsTheUserFirst() {
        RouteTable table = RouteTable.single(pop3("*", "pop.test", UserRewrite.addDomain("example.com")));

        assertThat(table.byUser()).isTrue();
        assertThatThrownBy(table::only).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anyRouteByUserMeansTheUserMustBeKnownFirst() {
        RouteTable table = new RouteTable(List.of(pop3("boss", "boss.test", UserRewrite.keep())), imap("*", "imap.test"));

        assertThat(table.byUser()).isTrue();
        assertThat(table.routes()).extracting(route -> route.match().toString()).containsExactly("boss", "*");
    }

    @Test
    void routesForTheSameUsersAreRefused() {
        assertThatThrownBy(() -> new RouteTable(List.of(pop3("Boss@example.com", "a.test", UserRewrite.keep()),
                pop3("boss@EXAMPLE.com", "b.test", UserRewrite.keep())), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'boss@EXAMPLE.com' takes the same users as 'Boss@example.com'");
        assertThatThrownBy(() -> new RouteTable(List.of(pop3("*@example.com", "a.test", UserRewrite.keep()),
                pop3("*@Example.com", "b.test", UserRewrite.keep())), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDefaultIsPassedAsTheDefaultOnly() {
        assertThatThrownBy(() -> new RouteTable(List.of(imap("*", "imap.test")), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RouteTable(List.of(), imap("boss", "imap.test")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RouteTable(List.of(), null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
