package org.popbridge.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Many sessions at once, one mailbox each: connect, USER/PASS, then (once every session
 * is logged in, so they really are all open together) STAT, UIDL, RETR of one 4 KB
 * message, QUIT. Wall time is the login phase plus the work phase; the pause between them
 * (for the memory snapshot) is not counted. One platform thread per session (256 KiB stack,
 * 8 KiB read buffer), so 10,000 sessions cost the client about 100 MB of heap and stack it
 * touches; at most {@code loginsInFlight} sessions connect and log in at the same time.
 */
final class ConcurrentSessions {

    /** The outcome of one run. */
    record Result(int sessions, int openAtOnce, int failures, Map<String, Integer> failureKinds,
            long loginPhaseNanos, long workPhaseNanos, long holdNanos, Histogram loginLatency, Histogram workLatency,
            long[][] loginTimes) {

        long wallNanos() {
            return loginPhaseNanos + workPhaseNanos;
        }
    }

    /** The login phase's bound for 1,000 sessions; each further 1,000 adds 30 s. */
    private static final long PHASE_LIMIT_SECONDS = 120;
    private static final long STACK_SIZE = 256 * 1024;

    private ConcurrentSessions() {
    }

    /**
     * @param threads how many sessions run at once; equal to {@code accounts.size()} for the
     *     measured run (all logged in together), smaller for the warm-up pass
     * @param hold where to pause once all are logged in, or null
     */
    static Result run(Endpoint endpoint, SSLContext tls, List<Account> accounts, int messagesPerMailbox,
            long messageOctets, int threads, HoldPoint hold) throws Exception {
        return run(endpoint, tls, accounts, messagesPerMailbox, messageOctets, threads, threads, hold);
    }

    /**
     * @param loginsInFlight how many sessions may be between connecting and logged in at the same
     *     time (a burst of 10,000 connection attempts would only measure the listen backlog and
     *     SYN retries)
     */
    static Result run(Endpoint endpoint, SSLContext tls, List<Account> accounts, int messagesPerMailbox,
            long messageOctets, int threads, int loginsInFlight, HoldPoint hold) throws Exception {
        int sessions = accounts.size();
        boolean together = threads >= sessions;
        long phaseLimit = PHASE_LIMIT_SECONDS + 30L * Math.max(0, (sessions - 1) / 1000);
        Semaphore connecting = new Semaphore(Math.max(1, loginsInFlight));
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), BenchMain.threads("session", STACK_SIZE));
        pool.prestartAllCoreThreads();
        CountDownLatch loggedIn = new CountDownLatch(sessions);
        CountDownLatch release = new CountDownLatch(together ? 1 : 0);
        AtomicInteger open = new AtomicInteger();
        AtomicLong lastLogin = new AtomicLong();
        AtomicLong lastEnd = new AtomicLong();
        Histogram loginLatency = new ConcurrentHistogram(600_000_000_000L, 3);
        Histogram workLatency = new ConcurrentHistogram(600_000_000_000L, 3);
        Map<String, Integer> kinds = new TreeMap<>();
        AtomicInteger failures = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>(sessions);
        // Per session, nanoseconds after start: when it began to connect and when its login was
        // done (0: never), so a kept run shows the order in which the logins were served.
        long[][] loginTimes = new long[sessions][2];
        long start = System.nanoTime();
        for (int i = 0; i < sessions; i++) {
            Account account = accounts.get(i);
            long[] times = loginTimes[i];
            int message = i % messagesPerMailbox + 1;
            futures.add(pool.submit(() -> {
                Pop3Connection connection = null;
                String step = "connect";
                try {
                    try {
                        step = "wait to connect";
                        if (!connecting.tryAcquire(phaseLimit, TimeUnit.SECONDS)) {
                            throw new Pop3Exception("no turn to connect within " + phaseLimit + " s");
                        }
                        try {
                            long t0 = System.nanoTime();
                            step = "connect";
                            connection = Pop3Connection.open(endpoint, tls, Pop3Connection.SMALL_BUFFER);
                            step = "login";
                            connection.login(account);
                            long t1 = System.nanoTime();
                            times[0] = t0 - start;
                            times[1] = t1 - start;
                            loginLatency.recordValue(t1 - t0);
                            lastLogin.accumulateAndGet(t1, Math::max);
                            open.incrementAndGet();
                        } finally {
                            connecting.release();
                        }
                    } finally {
                        loggedIn.countDown();
                    }
                    step = "wait";
                    if (!release.await(phaseLimit * 2 + HoldPoint.MAX_WAIT_MS / 1000, TimeUnit.SECONDS)) {
                        throw new Pop3Exception("never released");
                    }
                    long t2 = System.nanoTime();
                    step = "STAT";
                    connection.command("STAT");
                    step = "UIDL";
                    connection.uidl();
                    step = "RETR";
                    long got = connection.retr(message);
                    if (got != messageOctets) {
                        throw new Pop3Exception("RETR " + message + ": " + got + " octets, expected " + messageOctets);
                    }
                    step = "QUIT";
                    connection.quit();
                    long t3 = System.nanoTime();
                    workLatency.recordValue(t3 - t2);
                    lastEnd.accumulateAndGet(t3, Math::max);
                } catch (Exception e) {
                    failures.incrementAndGet();
                    String kind = step + ": " + RetrThroughput.describe(e).replaceAll("[0-9]+", "N");
                    synchronized (kinds) {
                        kinds.merge(kind, 1, Integer::sum);
                    }
                    lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
                    RetrThroughput.closeQuietly(connection);
                }
                return null;
            }));
        }
        try {
            long holdNanos = 0;
            long released;
            if (together) {
                if (!loggedIn.await(phaseLimit, TimeUnit.SECONDS)) {
                    System.err.println("bench: logins still running after " + phaseLimit + " s; releasing");
                }
                long loginEnd = Math.max(lastLogin.get(), start);
                if (hold != null) {
                    holdNanos = hold.pause(endpoint.name(), open.get());
                }
                released = System.nanoTime();
                release.countDown();
                awaitAll(futures, phaseLimit + 60, failures, kinds);
                long workEnd = Math.max(lastEnd.get(), released);
                return new Result(sessions, open.get(), failures.get(), kinds, loginEnd - start, workEnd - released,
                        holdNanos, loginLatency, workLatency, loginTimes);
            }
            awaitAll(futures, phaseLimit * 2, failures, kinds);
            long end = Math.max(lastEnd.get(), start);
            return new Result(sessions, open.get(), failures.get(), kinds, end - start, 0, 0, loginLatency,
                    workLatency, loginTimes);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(40, TimeUnit.SECONDS);
        }
    }

    /** Waits for every session within one overall bound; a session still running counts as failed. */
    private static void awaitAll(List<Future<?>> futures, long seconds, AtomicInteger failures,
            Map<String, Integer> kinds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (Future<?> future : futures) {
            try {
                future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                failures.incrementAndGet();
                synchronized (kinds) {
                    kinds.merge("still running after " + seconds + " s", 1, Integer::sum);
                }
                future.cancel(true);
            } catch (java.util.concurrent.ExecutionException e) {
                // Sessions catch their own exceptions; nothing else can end up here.
                throw new IllegalStateException(e.getCause());
            }
        }
    }
}
