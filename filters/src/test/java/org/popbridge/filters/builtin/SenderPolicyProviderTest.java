package org.popbridge.filters.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.popbridge.filters.rules.Mail.map;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.popbridge.filters.ConfiguredFilter;
import org.popbridge.filters.Direction;
import org.popbridge.filters.FilterChain;
import org.popbridge.filters.FilterConfigException;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.MessageFilterFactory;
import org.popbridge.filters.SessionCommand;
import org.popbridge.filters.SessionFilterFactory;

/** The {@code sender-policy} config: what it accepts, what it refuses, and where it acts. */
class SenderPolicyProviderTest {

    private static final String AT = "/filters/1/sender-policy";

    private final SenderPolicyProvider provider = new SenderPolicyProvider();

    @Test
    void itIsNamedSenderPolicy() {
        assertThat(provider.name()).isEqualTo("sender-policy");
    }

    @Test
    void itActsOnMailSentOnlyAtMailFromAndOnTheMessage() {
        ConfiguredFilter filter = provider.configure(FilterSettings.empty(AT));

        assertThat(filter).isInstanceOf(SessionFilterFactory.class).isInstanceOf(MessageFilterFactory.class);
        assertThat(filter.directions()).containsExactly(Direction.OUTGOING);
        assertThat(filter.defaultDirections()).containsExactly(Direction.OUTGOING);
        assertThat(new FilterChain.Entry("sender-policy", filter).directions()).containsExactly(Direction.OUTGOING);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new FilterChain.Entry("sender-policy", filter, Set.of(Direction.INCOMING)));
        assertThat(((MessageFilterFactory) filter).mayHide()).isFalse();
        assertThat(((MessageFilterFactory) filter).watchesBodies()).isFalse();
    }

    @Test
    void noSettingsIsFineForUsersWhoLogInWithTheirAddress() {
        assertThat(provider.configure(FilterSettings.empty(AT))).isNotNull();
    }

    @Test
    void anUnknownSettingIsRejected() {
        assertProblem(map("domains", "example.com"), AT + "/domains", "unknown setting; expected one of domain, aliases");
    }

    @ParameterizedTest
    @ValueSource(strings = {"@example.com", "alice@example.com", "ex ample.com", "-x.example.com", "example..com",
            "exa_mple.com", ""})
    void theDomainMustBeADomain(String domain) {
        assertProblem(map("domain", domain), AT + "/domain", "\"" + domain + "\" is not a domain such as example.com");
    }

    @Test
    void theDomainMayEndInADotAndBeWrittenInAnyCase() {
        ConfiguredFilter filter = provider.configure(FilterSettings.of(map("domain", "Example.COM."), AT));

        assertThat(((SenderPolicy) filter).mailFrom(new SessionCommand("MAIL",
                "FROM:<alice@example.com>", "alice")).allowed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sales", "Sales <sales@example.com>", "sales@example.com, info@example.com", "@",
            "@bad_domain.example", "sales@", "sales@@example.com.", "*@example.com ", "sales@ex ample.com"})
    void anAliasEntryMustBeAnAddressOrAtDomain(String entry) {
        assertProblem(map("aliases", map("alice", List.of("ok@example.com", entry))), AT + "/aliases/alice",
                "entry 1, \"" + entry + "\", is not an address such as sales@example.com or a domain such as @example.com");
    }

    @Test
    void anAliasListMustNotBeEmpty() {
        assertProblem(map("aliases", map("alice", List.of())), AT + "/aliases/alice",
                "is empty; give at least one address or @domain");
        assertProblem(map("aliases", map("*", null)), AT + "/aliases/*", "is empty; give at least one address or @domain");
    }

    @Test
    void aliasesMustBeANonEmptyMapOfLoginNames() {
        assertProblem(map("aliases", map()), AT + "/aliases",
                "is empty; give a login name (or \"*\") and the addresses it may send as");
        assertProblem(map("aliases", List.of("sales@example.com")), AT + "/aliases", "must be a map of settings, not a list");
        assertProblem(map("aliases", map(" ", "sales@example.com")), AT + "/aliases/ ",
                "is not a login name; give a login name or \"*\"");
    }

    @Test
    void anAliasEntryThatIsAMapPointsAtItself() {
        assertProblem(map("aliases", map("alice", List.of(Map.of("a", "b")))), AT + "/aliases/alice/0",
                "must be a single value, not a map");
    }

    private void assertProblem(Map<String, ?> values, String pointer, String problem) {
        assertThatThrownBy(() -> provider.configure(FilterSettings.of(values, AT)))
                .isInstanceOfSatisfying(FilterConfigException.class, e -> {
                    assertThat(e.pointer()).isEqualTo(pointer);
                    assertThat(e.problem()).isEqualTo(problem);
                });
    }
}
