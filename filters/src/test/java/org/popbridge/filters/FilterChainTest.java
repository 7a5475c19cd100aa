package org.popbridge.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the chain says about its entries, and the session filters it makes. */
class FilterChainTest {

    private static final SessionInfo SESSION =
            new SessionInfo("3f2a", "127.0.0.1:50422", "pop3://0.0.0.0:110", "pop3s://mail.example:995");

    @Test
    void anEmptyChainFiltersNothingAndDeliversTheBlockAsItCame() {
        FilterChain chain = FilterChain.empty();
        byte[] octets = "Subject: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

        ChainOutcome outcome = chain.start(MessageInfo.offline(10), Runnable::run)
                .headers(HeaderBlock.parse(octets)).toCompletableFuture().join();

        assertThat(chain.filtersMessages()).isFalse();
        assertThat(chain.filtersSessions()).isFalse();
        assertThat(chain.watchesBodies()).isFalse();
        assertThat(chain.mayHide()).isFalse();
        assertThat(chain.policy()).isEqualTo(FailurePolicy.OPEN);
        assertThat(chain.timeBudget()).isEqualTo(FilterChain.DEFAULT_TIME_BUDGET);
        assertThat(outcome.disposition()).isEqualTo(ChainOutcome.Disposition.DELIVER);
        assertThat(outcome.headers().toBytes()).isEqualTo(octets);
    }

    @Test
    void headerOnlyMessageFiltersNeitherWatchBodiesNorHide() {
        FilterChain chain = chain(new FilterChain.Entry("tag", new MessageOnly(false, false)));

        assertThat(chain.filtersMessages()).isTrue();
        assertThat(chain.filtersSessions()).isFalse();
        assertThat(chain.watchesBodies()).isFalse();
        assertThat(chain.mayHide()).isFalse();
    }

    @Test
    void oneFilterThatWatchesBodiesMakesTheChainWatchBodies() {
        FilterChain chain = chain(new FilterChain.Entry("tag", new MessageOnly(false, false)),
                new FilterChain.Entry("scan", new MessageOnly(true, false)));

        assertThat(chain.watchesBodies()).isTrue();
        assertThat(chain.mayHide()).isFalse();
    }

    @Test
    void oneFilterThatMayHideMakesTheChainMayHide() {
        FilterChain chain = chain(new FilterChain.Entry("hide", new MessageOnly(false, true)),
                new FilterChain.Entry("tag", new MessageOnly(false, false)));

        assertThat(chain.mayHide()).isTrue();
        assertThat(chain.watchesBodies()).isFalse();
    }

    @Test
    void sessionOnlyFiltersDoNotFilterMessages() {
        FilterChain chain = chain(new FilterChain.Entry("log", (SessionFilterFactory) session -> new SessionFilter() { }));

        assertThat(chain.filtersSessions()).isTrue();
        assertThat(chain.filtersMessages()).isFalse();
    }

    @Test
    void aFilterOfBothKindsCountsForBoth() {
        FilterChain chain = chain(new FilterChain.Entry("both", new Both()));

        assertThat(chain.filtersSessions()).isTrue();
        assertThat(chain.filtersMessages()).isTrue();
        assertThat(chain.watchesBodies()).isTrue();
        assertThat(chain.sessionFilters(SESSION)).extracting(SessionFilters.Named::name).containsExactly("both");
    }

    @Test
    void sessionFiltersAreFreshPerSessionInChainOrderSkippingFactoriesThatGiveNone() {
        List<SessionInfo> seen = new ArrayList<>();
        FilterChain chain = chain(
                new FilterChain.Entry("first", (SessionFilterFactory) session -> {
                    seen.add(session);
                    return new SessionFilter() { };
                }),
                new FilterChain.Entry("messages", new MessageOnly(false, false)),
                new FilterChain.Entry("none", (SessionFilterFactory) session -> null),
                new FilterChain.Entry("second", (SessionFilterFactory) session -> new SessionFilter() { }));

        List<SessionFilters.Named> one = chain.sessionFilters(SESSION);
        List<SessionFilters.Named> two = chain.sessionFilters(SESSION);

        assertThat(one).extracting(SessionFilters.Named::name).containsExactly("first", "second");
        assertThat(one.get(0).filter()).isNotSameAs(two.get(0).filter());
        assertThat(seen).containsExactly(SESSION, SESSION);
    }

    @Test
    void changingTheListGivenDoesNotChangeTheChain() {
        List<FilterChain.Entry> entries = new ArrayList<>(List.of(new FilterChain.Entry("tag", new MessageOnly(false, false))));
        FilterChain chain = new FilterChain(entries, FailurePolicy.CLOSED, Duration.ofSeconds(1));
        entries.add(new FilterChain.Entry("scan", new MessageOnly(true, true)));

        assertThat(chain.entries()).extracting(FilterChain.Entry::name).containsExactly("tag");
        assertThat(chain.watchesBodies()).isFalse();
        assertThat(chain.policy()).isEqualTo(FailurePolicy.CLOSED);
        assertThat(chain.timeBudget()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aBudgetMustBePositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> new FilterChain(List.of(), FailurePolicy.OPEN, Duration.ZERO));
        assertThatIllegalArgumentException().isThrownBy(() -> new FilterChain(List.of(), FailurePolicy.OPEN, Duration.ofMillis(-1)));
    }

    @Test
    void anEntryNeedsANameAndAFilter() {
        assertThatNullPointerException().isThrownBy(() -> new FilterChain.Entry(null, new MessageOnly(false, false)));
        assertThatNullPointerException().isThrownBy(() -> new FilterChain.Entry("x", null));
    }

    @Test
    void eachDirectionGetsOnlyTheFiltersThatActInIt() {
        FilterChain.Entry reading = new FilterChain.Entry("tag", new MessageOnly(false, false));
        FilterChain.Entry both = new FilterChain.Entry("edit", new TwoWay(), Direction.both());
        FilterChain.Entry sending = new FilterChain.Entry("stamp", new TwoWay(), Set.of(Direction.OUTGOING));
        FilterChain chain = new FilterChain(List.of(reading, both, sending), FailurePolicy.CLOSED, Duration.ofSeconds(2));

        FilterChain outgoing = chain.forDirection(Direction.OUTGOING);

        assertThat(chain.forDirection(Direction.INCOMING).entries()).containsExactly(reading, both);
        assertThat(outgoing.entries()).containsExactly(both, sending);
        assertThat(outgoing.policy()).isEqualTo(FailurePolicy.CLOSED);
        assertThat(outgoing.timeBudget()).isEqualTo(Duration.ofSeconds(2));
        assertThat(chain(reading).forDirection(Direction.OUTGOING)).isSameAs(FilterChain.empty());
    }

    @Test
    void aFilterWrittenForReadingActsOnlyOnMailRead() {
        FilterChain.Entry entry = new FilterChain.Entry("tag", new MessageOnly(false, false));

        assertThat(entry.directions()).containsExactly(Direction.INCOMING);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new FilterChain.Entry("tag", new MessageOnly(false, false), Direction.both()));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new FilterChain.Entry("edit", new TwoWay(), Set.of()));
    }

    @Test
    void aFilterThatCanActBothWaysStillActsOnMailReadUnlessToldOtherwise() {
        assertThat(new FilterChain.Entry("edit", new TwoWay()).directions()).containsExactly(Direction.INCOMING);
    }

    private static FilterChain chain(FilterChain.Entry... entries) {
        return new FilterChain(List.of(entries), FailurePolicy.OPEN, FilterChain.DEFAULT_TIME_BUDGET);
    }

    private record MessageOnly(boolean watchesBodies, boolean mayHide) implements MessageFilterFactory {
        @Override
        public MessageFilter forMessage(MessageInfo message) {
            return headers -> Verdict.deliver().now();
        }
    }

    private static final class TwoWay implements MessageFilterFactory {
        @Override
        public MessageFilter forMessage(MessageInfo message) {
            return headers -> Verdict.deliver().now();
        }

        @Override
        public Set<Direction> directions() {
            return Direction.both();
        }
    }

    private static final class Both implements MessageFilterFactory, SessionFilterFactory {
        @Override
        public MessageFilter forMessage(MessageInfo message) {
            return headers -> Verdict.deliver().now();
        }

        @Override
        public boolean watchesBodies() {
            return true;
        }

        @Override
        public SessionFilter forSession(SessionInfo session) {
            return new SessionFilter() { };
        }
    }
}
