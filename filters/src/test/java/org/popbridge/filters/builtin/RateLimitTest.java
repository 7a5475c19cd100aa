package org.popbridge.filters.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.popbridge.filters.rules.Mail.map;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.popbridge.filters.CommandDecision;
import org.popbridge.filters.Direction;
import org.popbridge.filters.Envelope;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.SessionCommand;
import org.popbridge.filters.SessionFilter;
import org.popbridge.filters.SessionInfo;
import org.popbridge.filters.SubmittedMessage;

/** rate-limit: a token bucket per user, spent by accepted messages, checked at MAIL FROM, on a clock the test moves. */
class RateLimitTest {

    private static final SessionInfo SESSION = new SessionInfo("7e0a", "192.0.2.7:50100", "smtp://0.0.0.0:587",
            "smtp://mail.example.com:587", Direction.OUTGOING);

    private final AtomicLong clock = new AtomicLong(-5_000_000_000L);

    @Test
    void theMessageAfterTheAllowanceIsDeferredWithTheLimitInTheReason() {
        RateLimit limit = limit("3", "1h");
        SessionFilter session = limit.forSession(SESSION);

        for (int i = 0; i < 3; i++) {
            assertThat(session.command(mail("alice"))).isEqualTo(CommandDecision.allow());
            session.submitted(sent("alice", 250));
        }
        CommandDecision fourth = session.command(mail("alice"));

        assertThat(fourth.allowed()).isFalse();
        assertThat(fourth.temporary()).isTrue();
        assertThat(fourth.reason()).isEqualTo("Too many messages: at most 3 per 1h for alice, try again later");
    }

    @Test
    void messagesTheServerDidNotAcceptDoNotCount() {
        RateLimit limit = limit("2", "1h");
        SessionFilter session = limit.forSession(SESSION);

        session.submitted(sent("alice", 550));
        session.submitted(sent("alice", 451));
        session.submitted(sent("alice", 250));
        assertThat(session.command(mail("alice")).allowed()).isTrue();

        session.submitted(sent("alice", 250));
        assertThat(session.command(mail("alice")).allowed()).isFalse();
    }

    @Test
    void theAllowanceComesBackOneMessageAtATime() {
        RateLimit limit = limit("100", "1h");
        SessionFilter session = limit.forSession(SESSION);
        for (int i = 0; i < 100; i++) {
            session.submitted(sent("alice", 250));
        }
        assertThat(session.command(mail("alice")).allowed()).isFalse();

        // 100 per hour is one every 36 s.
        advance(Duration.ofSeconds(35));
        assertThat(session.command(mail("alice")).allowed()).isFalse();
        advance(Duration.ofSeconds(1));
        assertThat(session.command(mail("alice")).allowed()).isTrue();

        session.submitted(sent("alice", 250));
        assertThat(session.command(mail("alice")).allowed()).isFalse();
    }

    @Test
    void aFullBucketHoldsNoMoreThanTheAllowance() {
        RateLimit limit = limit("2", "1m");
        SessionFilter session = limit.forSession(SESSION);

        advance(Duration.ofDays(3));
        session.submitted(sent("alice", 250));
        session.submitted(sent("alice", 250));

        assertThat(session.command(mail("alice")).allowed()).isFalse();
        advance(Duration.ofSeconds(30));
        assertThat(session.command(mail("alice")).allowed()).isTrue();
    }

    @Test
    void eachUserHasTheirOwnAllowance() {
        RateLimit limit = limit("1", "1d");
        SessionFilter session = limit.forSession(SESSION);

        session.submitted(sent("alice", 250));

        assertThat(session.command(mail("alice")).allowed()).isFalse();
        assertThat(session.command(mail("bob")).allowed()).isTrue();
    }

    @Test
    void theAllowanceIsSharedByAUsersSessionsWhateverTheCaseOfTheLogin() {
        RateLimit limit = limit("1", "1d");

        limit.forSession(SESSION).submitted(sent("Alice", 250));

        SessionFilter another = limit.forSession(new SessionInfo("7e0b", "198.51.100.3:40000", "smtp://0.0.0.0:587",
                "smtp://mail.example.com:587", Direction.OUTGOING));
        assertThat(another.command(mail("ALICE")).reason())
                .isEqualTo("Too many messages: at most 1 per 1d for ALICE, try again later");
    }

    @Test
    void onlyMailFromIsLimited() {
        RateLimit limit = limit("1", "1h");
        SessionFilter session = limit.forSession(SESSION);
        session.submitted(sent("alice", 250));

        assertThat(session.command(new SessionCommand("RCPT", "TO:<bob@example.com>", "alice")).allowed()).isTrue();
        assertThat(session.command(new SessionCommand("RSET", "", "alice")).allowed()).isTrue();
        assertThat(session.command(mail("alice")).allowed()).isFalse();
    }

    @Test
    void withoutALoginNothingIsLimitedOrCounted() {
        RateLimit limit = limit("1", "1h");
        SessionFilter session = limit.forSession(SESSION);

        session.submitted(sent(null, 250));
        session.submitted(sent(null, 250));

        assertThat(session.command(mail(null)).allowed()).isTrue();
        assertThat(limit.trackedUsers()).isZero();
    }

    @Test
    void usersWhoStoppedSendingAreForgottenOnceTheirAllowanceIsBack() {
        RateLimit limit = limit("10", "1m");
        SessionFilter session = limit.forSession(SESSION);
        for (int i = 0; i < SendingBuckets.SWEEP_AT; i++) {
            session.submitted(sent("user" + i, 250));
        }
        assertThat(limit.trackedUsers()).isEqualTo(SendingBuckets.SWEEP_AT);

        // One message is 6 s of a 10-per-minute allowance: after that those buckets are full again.
        advance(Duration.ofSeconds(6));
        session.submitted(sent("alice", 250));

        assertThat(limit.trackedUsers()).isEqualTo(1);
        session.submitted(sent("alice", 250));
        assertThat(limit.trackedUsers()).isEqualTo(1);
    }

    @Test
    void bucketsStillInUseSurviveTheSweep() {
        RateLimit limit = limit("1", "1h");
        SessionFilter session = limit.forSession(SESSION);
        for (int i = 0; i <= SendingBuckets.SWEEP_AT; i++) {
            session.submitted(sent("user" + i, 250));
        }

        assertThat(limit.trackedUsers()).isEqualTo(SendingBuckets.SWEEP_AT + 1);
        assertThat(session.command(mail("user0")).allowed()).isFalse();
    }

    @Test
    void messagesAcceptedOnSeveralThreadsAreAllCounted() throws Exception {
        RateLimit limit = limit("1000", "1h");
        int threads = 4;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(CompletableFuture.runAsync(() -> {
                    SessionFilter session = limit.forSession(SESSION);
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    for (int i = 0; i < 250; i++) {
                        session.submitted(sent("alice", 250));
                    }
                }, pool));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get();
        } finally {
            pool.shutdownNow();
        }

        assertThat(limit.forSession(SESSION).command(mail("alice")).allowed()).isFalse();
        advance(Duration.ofMillis(3600));
        assertThat(limit.forSession(SESSION).command(mail("alice")).allowed()).isTrue();
    }

    private RateLimit limit(String messages, String per) {
        return (RateLimit) new RateLimitProvider().configure(
                FilterSettings.of(map("messages", messages, "per", per), "/filters/0/rate-limit"), clock::get);
    }

    private void advance(Duration by) {
        clock.addAndGet(by.toNanos());
    }

    private static SessionCommand mail(String user) {
        return new SessionCommand("MAIL", "FROM:<" + user + "@example.com> SIZE=2048", user);
    }

    private static SubmittedMessage sent(String user, int code) {
        return new SubmittedMessage(user, new Envelope(user + "@example.com", List.of("bob@elsewhere.example")), 2048,
                code, code == 250 ? "2.0.0 Ok: queued as 4F2B" : "5.7.1 Refused", code == 250 ? "4F2B" : null);
    }
}
