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
import org.popbridge.filters.Envelope;
import org.popbridge.filters.FilterChain;
import org.popbridge.filters.FilterConfigException;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.MessageFilterFactory;
import org.popbridge.filters.SessionCommand;
import org.popbridge.filters.SessionFilterFactory;
import org.popbridge.filters.SubmittedMessage;

/** The {@code rate-limit} config: what it accepts, what it refuses, and where it acts. */
class RateLimitProviderTest {

    private static final String AT = "/filters/2/rate-limit";

    private final RateLimitProvider provider = new RateLimitProvider();

    @Test
    void itIsNamedRateLimit() {
        assertThat(provider.name()).isEqualTo("rate-limit");
    }

    @Test
    void itWatchesSendingSessionsOnly() {
        ConfiguredFilter filter = provider.configure(settings(map("messages", "100", "per", "1h")));

        assertThat(filter).isInstanceOf(SessionFilterFactory.class).isNotInstanceOf(MessageFilterFactory.class);
        assertThat(filter.directions()).containsExactly(Direction.OUTGOING);
        assertThat(new FilterChain.Entry("rate-limit", filter).directions()).containsExactly(Direction.OUTGOING);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new FilterChain.Entry("rate-limit", filter, Set.of(Direction.INCOMING)));
    }

    @Test
    void theReasonQuotesTheLimitAsWritten() {
        RateLimit limit = (RateLimit) provider.configure(settings(map("messages", "1", "per", " PT12H ")));
        limit.submitted(new SubmittedMessage("alice", new Envelope("alice@example.com", List.of("bob@elsewhere.example")),
                10, 250, "2.0.0 Ok", null));

        assertThat(limit.mailFrom(new SessionCommand("MAIL", "FROM:<alice@example.com>", "alice")).reason())
                .isEqualTo("Too many messages: at most 1 per PT12H for alice, try again later");
    }

    @Test
    void bothSettingsAreRequired() {
        assertProblem(map("per", "1h"), AT + "/messages", "is required");
        assertProblem(map("messages", "100"), AT + "/per", "is required");
    }

    @Test
    void anUnknownSettingIsRejected() {
        assertProblem(map("messages", "100", "per", "1h", "burst", "10"), AT + "/burst",
                "unknown setting; expected one of messages, per");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "2.5", "1000001"})
    void messagesMustBeAWholeNumberAboveZero(String messages) {
        assertProblem(map("messages", messages, "per", "1h"), AT + "/messages",
                "must be a whole number from 1 to 1000000, not \"" + messages + "\"");
    }

    @Test
    void messagesMustBeANumber() {
        assertProblem(map("messages", "lots", "per", "1h"), AT + "/messages", "must be a number, not \"lots\"");
    }

    @Test
    void perMustBeADuration() {
        assertProblem(map("messages", "100", "per", "hourly"), AT + "/per",
                "must be a duration such as 30s, 10m, 1h or 1d, not \"hourly\"");
        assertProblem(map("messages", "100", "per", "60"), AT + "/per",
                "must be a duration such as 30s, 10m, 1h or 1d, not \"60\"");
    }

    @Test
    void perMustBeBetweenASecondAndAYear() {
        assertProblem(map("messages", "100", "per", "0s"), AT + "/per", "must be at least 1s, not \"0s\"");
        assertProblem(map("messages", "100", "per", "0.5s"), AT + "/per", "must be at least 1s, not \"0.5s\"");
        assertProblem(map("messages", "100", "per", "400d"), AT + "/per", "must be at most 365d, not \"400d\"");
    }

    private void assertProblem(Map<String, ?> values, String pointer, String problem) {
        assertThatThrownBy(() -> provider.configure(settings(values)))
                .isInstanceOfSatisfying(FilterConfigException.class, e -> {
                    assertThat(e.pointer()).isEqualTo(pointer);
                    assertThat(e.problem()).isEqualTo(problem);
                });
    }

    private static FilterSettings settings(Map<String, ?> values) {
        return FilterSettings.of(values, AT);
    }
}
