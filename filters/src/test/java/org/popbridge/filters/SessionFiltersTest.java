package org.popbridge.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Session filters: chain order, the first refusal, and failures that do not break the session. */
class SessionFiltersTest {

    private static final SessionInfo SESSION =
            new SessionInfo("3f2a", "127.0.0.1:50422", "pop3://0.0.0.0:110", "pop3s://mail.example:995");
    private static final SessionCommand RETR = new SessionCommand("RETR", "1", "alice");

    private final List<String> calls = new ArrayList<>();
    private final List<FilterFailure> failures = new ArrayList<>();

    @Test
    void everyFilterSeesEveryCallInChainOrder() {
        SessionFilters filters = filters(recording("a"), recording("b"));
        SessionReply reply = new SessionReply(RETR, true, 1532);
        SessionSummary summary = new SessionSummary(SESSION, "alice", 3, 1, 0, 40, 1600, Duration.ofSeconds(2),
                TlsSummary.NONE, new TlsSummary("TLSv1.3", "TLS_AES_128_GCM_SHA256"), "QUIT");

        CommandDecision decision = filters.command(RETR);
        filters.replied(reply);
        filters.ended(summary);

        assertThat(decision.allowed()).isTrue();
        assertThat(calls).containsExactly("a command RETR 1", "b command RETR 1",
                "a replied true 1532", "b replied true 1532", "a ended QUIT", "b ended QUIT");
        assertThat(failures).isEmpty();
    }

    @Test
    void theFirstRefusalWinsAndLaterFiltersDoNotSeeTheCommand() {
        SessionFilters filters = filters(recording("a"),
                named("policy", new SessionFilter() {
                    @Override
                    public CommandDecision command(SessionCommand command) {
                        return CommandDecision.refuse("[SYS/PERM] RETR is not allowed here");
                    }
                }),
                named("strict", new SessionFilter() {
                    @Override
                    public CommandDecision command(SessionCommand command) {
                        calls.add("strict command");
                        return CommandDecision.refuse("other reason");
                    }
                }));

        CommandDecision decision = filters.command(RETR);

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).isEqualTo("[SYS/PERM] RETR is not allowed here");
        assertThat(calls).containsExactly("a command RETR 1");
    }

    @Test
    void aFilterThatThrowsIsReportedAndTheOthersStillRun() {
        SessionFilter throwing = new SessionFilter() {
            @Override
            public CommandDecision command(SessionCommand command) {
                throw new IllegalStateException("command broke");
            }

            @Override
            public void replied(SessionReply reply) {
                throw new IllegalStateException("replied broke");
            }

            @Override
            public void ended(SessionSummary summary) {
                throw new IllegalStateException("ended broke");
            }
        };
        SessionFilters filters = filters(named("broken", throwing), recording("b"));

        CommandDecision decision = filters.command(RETR);
        filters.replied(new SessionReply(RETR, false, 0));
        filters.ended(new SessionSummary(SESSION, null, 1, 0, 0, 6, 20, Duration.ZERO, TlsSummary.NONE,
                TlsSummary.NONE, "client disconnected"));

        assertThat(decision.allowed()).as("a broken filter does not refuse").isTrue();
        assertThat(calls).containsExactly("b command RETR 1", "b replied false 0", "b ended client disconnected");
        assertThat(failures).extracting(FilterFailure::describe).containsExactly(
                "broken failed: IllegalStateException: command broke",
                "broken failed: IllegalStateException: replied broke",
                "broken failed: IllegalStateException: ended broke");
    }

    @Test
    void aNullDecisionLetsTheCommandThrough() {
        SessionFilters filters = filters(named("null", new SessionFilter() {
            @Override
            public CommandDecision command(SessionCommand command) {
                return null;
            }
        }), recording("b"));

        assertThat(filters.command(RETR).allowed()).isTrue();
        assertThat(calls).containsExactly("b command RETR 1");
    }

    @Test
    void noFiltersIsEmptyAndAllowsEverything() {
        SessionFilters filters = new SessionFilters(List.of(), failures::add);

        assertThat(filters.isEmpty()).isTrue();
        assertThat(filters.command(RETR)).isEqualTo(CommandDecision.allow());
        assertThat(filters(recording("a")).isEmpty()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"no\r\n+OK forged", "no\nmore", "no\r"})
    void aRefusalReasonCannotHoldALineBreak(String reason) {
        assertThatIllegalArgumentException().isThrownBy(() -> CommandDecision.refuse(reason));
    }

    @Test
    void aRefusalNeedsAReason() {
        assertThatNullPointerException().isThrownBy(() -> CommandDecision.refuse(null));
    }

    @Test
    void theDefaultSessionFilterAllowsEveryCommand() {
        assertThat(new SessionFilter() { }.command(RETR).allowed()).isTrue();
    }

    private SessionFilters filters(SessionFilters.Named... named) {
        return new SessionFilters(List.of(named), failures::add);
    }

    private static SessionFilters.Named named(String name, SessionFilter filter) {
        return new SessionFilters.Named(name, filter);
    }

    private SessionFilters.Named recording(String name) {
        return named(name, new SessionFilter() {
            @Override
            public CommandDecision command(SessionCommand command) {
                calls.add(name + " command " + command);
                return CommandDecision.allow();
            }

            @Override
            public void replied(SessionReply reply) {
                calls.add(name + " replied " + reply.ok() + " " + reply.bodyOctets());
            }

            @Override
            public void ended(SessionSummary summary) {
                calls.add(name + " ended " + summary.end());
            }
        });
    }
}
