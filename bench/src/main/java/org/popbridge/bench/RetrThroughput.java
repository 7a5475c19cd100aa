package org.popbridge.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * RETR throughput: {@code sessions} sessions log in, then all start together and each
 * retrieves {@code perSession} messages one after the other (not pipelined, as a legacy
 * client does). Time runs from the common start to the last session's last octet; logins
 * are not timed. Every message's octet count must equal its LIST size.
 */
final class RetrThroughput {

    /** What one run moved. */
    record Result(long octets, long messages, long nanos, int failures, String firstFailure) {

        double megabytesPerSecond() {
            return octets / 1e6 / (nanos / 1e9);
        }

        double messagesPerSecond() {
            return messages / (nanos / 1e9);
        }
    }

    private static final long DEADLINE_SECONDS = 180;

    private RetrThroughput() {
    }

    static Result run(Endpoint endpoint, SSLContext tls, Account account, int sessions, int perSession,
            ExecutorService pool) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(sessions);
        CountDownLatch go = new CountDownLatch(1);
        AtomicLong octets = new AtomicLong();
        AtomicLong messages = new AtomicLong();
        AtomicLong lastEnd = new AtomicLong();
        List<Future<?>> futures = new ArrayList<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int s = 0; s < sessions; s++) {
            int session = s;
            futures.add(pool.submit(() -> {
                Pop3Connection connection = null;
                try {
                    long[] sizes;
                    try {
                        connection = Pop3Connection.open(endpoint, tls);
                        connection.login(account);
                        sizes = connection.list();
                        if (sizes.length == 0) {
                            throw new Pop3Exception("mailbox " + account.user() + " is empty");
                        }
                    } finally {
                        ready.countDown();
                    }
                    if (!go.await(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                        throw new Pop3Exception("start signal never came");
                    }
                    // Sessions start at different messages so they do not read in lockstep.
                    int first = (int) ((long) session * sizes.length / sessions);
                    for (int i = 0; i < perSession; i++) {
                        int message = (first + i) % sizes.length + 1;
                        long got = connection.retr(message);
                        if (got != sizes[message - 1]) {
                            throw new Pop3Exception("RETR " + message + ": " + got + " octets, LIST said "
                                    + sizes[message - 1]);
                        }
                        octets.addAndGet(got);
                        messages.incrementAndGet();
                    }
                    lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
                    connection.quit();
                } catch (Exception e) {
                    failures.add(describe(e));
                    lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
                    closeQuietly(connection);
                }
                return null;
            }));
        }
        if (!ready.await(60, TimeUnit.SECONDS)) {
            failures.add("logins did not finish within 60 s");
        }
        long start = System.nanoTime();
        go.countDown();
        for (Future<?> future : futures) {
            try {
                future.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                failures.add("session did not finish within " + DEADLINE_SECONDS + " s: " + describe(e));
                future.cancel(true);
            }
        }
        long nanos = Math.max(1, lastEnd.get() - start);
        return new Result(octets.get(), messages.get(), nanos, failures.size(),
                failures.isEmpty() ? "" : failures.get(0));
    }

    static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage();
        String text = e.getClass().getSimpleName() + message;
        return text.length() > 160 ? text.substring(0, 160) : text;
    }

    static void closeQuietly(Pop3Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (Exception ignored) {
                // Already failing; the first failure is what gets reported.
            }
        }
    }
}
