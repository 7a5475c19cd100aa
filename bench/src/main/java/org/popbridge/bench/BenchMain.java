package org.popbridge.bench;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.HdrHistogram.Histogram;

/**
 * The benchmark client. bench/run.sh sets up Dovecot and popbridge and calls it three times:
 *
 * <pre>
 *   warm   --out DIR --ca FILE --port P [--tls]   one unmeasured pass over every mailbox (builds Dovecot's indexes)
 *   run    --out DIR --ca FILE --direct-tls P --proxy-tls P --direct-plain P --proxy-plain P
 *          [--direct-many P --proxy-many P --many-sessions N --many-in-flight M]
 *   run    --out DIR --sides NAME=PORT:PID[+PID...],... [--phases latency,retr4k,retr10m] [--clk-tck 100]
 *          plain sides measured in the same rounds (bench/run-nginx.sh: direct, popbridge, nginx)
 *   sides-report --out DIR                       Markdown tables of a --sides run (see SideBySideReport)
 *   cold   --out DIR --direct P --proxy P --variant NAME --rep N --launch-ms MS   a fresh popbridge's first sessions (see ColdStart)
 *   report --out DIR [--heap TEXT] [--cds TEXT]    Markdown tables from DIR's raw files
 *   tls    --out DIR --ca FILE --targets NAME=PORT:PID,...   TLS providers (bench/run-tls.sh; see TlsProviders)
 *   filters --out DIR --targets NAME=PORT:PID,... --scan-users U,...   filter chain on vs off (bench/run-filters.sh)
 *   imap   --out DIR --targets NAME=PORT:PID,... --user U   IMAP-backed vs POP3 relay (bench/run-imap.sh; see ImapUpstreamBench)
 * </pre>
 *
 * Each phase runs on every endpoint before the next phase starts, so slow drift of the
 * machine (other load, page cache) spreads over direct and proxy alike. The endpoints come in
 * groups that are compared with one another (run.sh's direct/proxy pairs, or the one group of
 * --sides); each round rotates every group by one, so every side goes first as often as the
 * others. With --sides, the CPU time of each side's processes (PID 0: none, Dovecot itself) is
 * read from /proc around each phase.
 */
public final class BenchMain {

    static final List<String> TARGETS = List.of("direct-tls", "proxy-tls", "direct-plain", "proxy-plain");

    private final Map<String, String> options;

    private BenchMain(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                usage();
            }
            String key = args[i].substring(2);
            if (key.equals("tls")) {
                options.put(key, "true");
            } else if (i + 1 < args.length) {
                options.put(key, args[++i]);
            } else {
                usage();
            }
        }
        BenchMain bench = new BenchMain(options);
        switch (args[0]) {
            case "warm" -> bench.warm();
            case "run" -> bench.run();
            case "cold" -> new ColdStart(options).run();
            case "tls" -> new TlsProviders(options).run();
            case "filters" -> new FilterChainBench(options).run();
            case "imap" -> new ImapUpstreamBench(options).run();
            case "sides-report" -> {
                java.io.PrintStream out = new java.io.PrintStream(
                        new java.io.FileOutputStream(java.io.FileDescriptor.out), true, "UTF-8");
                out.print(new SideBySideReport(Path.of(bench.required("out"))).render());
                out.flush();
            }
            case "report" -> {
                java.io.PrintStream out = new java.io.PrintStream(
                        new java.io.FileOutputStream(java.io.FileDescriptor.out), true, "UTF-8");
                out.print(new MarkdownReport(Path.of(bench.required("out")), bench.option("heap", ""),
                        bench.option("cds", "")).render());
                out.flush();
            }
            default -> usage();
        }
        System.exit(0);
    }

    private static void usage() {
        System.err.println("usage: popbridge-bench warm|run|cold|report|sides-report|tls|filters|imap --out DIR [options]; see BenchMain's Javadoc");
        System.exit(2);
    }

    private String option(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    private int intOption(String key, int fallback) {
        return Integer.parseInt(option(key, String.valueOf(fallback)));
    }

    private String required(String key) {
        String value = options.get(key);
        if (value == null) {
            System.err.println("popbridge-bench: --" + key + " is required");
            System.exit(2);
        }
        return value;
    }

    private String host() {
        return option("host", "127.0.0.1");
    }

    private String password() {
        return option("password", "bench-secret");
    }

    private List<Account> crowd() {
        return crowd(intOption("sessions", 1000));
    }

    /** crowd0000 to crowdNNNN: one mailbox per concurrent session. */
    private List<Account> crowd(int users) {
        String prefix = option("crowd-prefix", "crowd");
        List<Account> accounts = new ArrayList<>(users);
        for (int i = 0; i < users; i++) {
            accounts.add(new Account(String.format("%s%04d", prefix, i), password()));
        }
        return accounts;
    }

    /** One unmeasured pass: every crowd mailbox once, 50 at a time, so Dovecot has built its indexes. */
    private void warm() throws Exception {
        SSLContext tls = trusting(Path.of(required("ca")));
        Endpoint endpoint = new Endpoint("warm", host(), Integer.parseInt(required("port")),
                Boolean.parseBoolean(option("tls", "false")));
        long t0 = System.nanoTime();
        ConcurrentSessions.Result result = ConcurrentSessions.run(endpoint, tls, crowd(),
                intOption("crowd-messages", 5), Long.parseLong(option("message-octets", "4096")), 50, null);
        System.err.printf("bench: warm-up pass over %d mailboxes: %d failed, %.1f s%n", result.sessions(),
                result.failures(), (System.nanoTime() - t0) / 1e9);
        if (result.failures() > 0) {
            System.err.println("bench: warm-up failures: " + result.failureKinds());
            System.exit(1);
        }
    }

    private void run() throws Exception {
        Path out = Path.of(required("out"));
        SSLContext tls = trusting(Path.of(required("ca")));
        ResultLog log = new ResultLog(out);
        HoldPoint hold = new HoldPoint(out);
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        List<List<Endpoint>> groups = new ArrayList<>();
        Map<String, BenchTarget> sides = new LinkedHashMap<>();
        if (options.containsKey("sides")) {
            for (BenchTarget side : BenchTarget.parse(options.get("sides"))) {
                sides.put(side.name(), side);
                endpoints.put(side.name(), new Endpoint(side.name(), host(), side.port(), false));
            }
            groups.add(List.copyOf(endpoints.values()));
            log.put("run", "sides", String.join(",", sides.keySet()));
            log.put("run", "clk_tck", intOption("clk-tck", 100));
        } else {
            for (List<String> pair : List.of(TARGETS.subList(0, 2), TARGETS.subList(2, 4))) {
                List<Endpoint> group = new ArrayList<>();
                for (String name : pair) {
                    String port = options.get(name);
                    if (port != null) {
                        Endpoint endpoint = new Endpoint(name, host(), Integer.parseInt(port), name.equals("direct-tls"));
                        endpoints.put(name, endpoint);
                        group.add(endpoint);
                    }
                }
                groups.add(group);
            }
        }
        SideCpu cpu = new SideCpu(sides, intOption("clk-tck", 100), log);
        Account big = new Account(option("big-user", "big"), password());
        Account small = new Account(option("small-user", "small"), password());
        Account lat = new Account(option("lat-user", "lat"), password());
        int rounds = intOption("rounds", 5);
        int parallel = intOption("parallel", 4);
        int bigPerSession = intOption("big-per-session", 8);
        int smallPerSession = intOption("small-per-session", 1500);
        int smallPerParallelSession = intOption("small-per-parallel-session", 750);
        int roundTrips = intOption("round-trips", 6_000);
        List<Account> crowd = crowd();
        int crowdMessages = intOption("crowd-messages", 5);
        long messageOctets = Long.parseLong(option("message-octets", "4096"));
        Map<String, Endpoint> many = new LinkedHashMap<>();
        for (String name : List.of("direct-many", "proxy-many")) {
            String port = options.get(name);
            if (port != null) {
                many.put(name, new Endpoint(name, host(), Integer.parseInt(port), false));
            }
        }
        int manySessions = intOption("many-sessions", 10_000);
        int manyInFlight = intOption("many-in-flight", 1000);
        List<String> phases = List.of(option("phases", "latency,retr4k,retr10m,crowd,many").split(","));
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(parallel, 1), threads("retr", 0));
        Rounds figures = new Rounds();
        log.put("run", "rounds", rounds);
        log.put("run", "parallel", parallel);

        try {
            for (Endpoint endpoint : endpoints.values()) {
                log.event(endpoint.name(), "warmup", "begin");
                RoundTripLatency.run(endpoint, tls, lat, 1000, 2000);
                RetrThroughput.run(endpoint, tls, small, 1, 500, pool);
                RetrThroughput.run(endpoint, tls, big, 1, 3, pool);
                try (Pop3Connection probe = Pop3Connection.open(endpoint, tls)) {
                    log.put(endpoint.name(), "client.transport", probe.tlsDescription());
                    log.put(endpoint.name(), "endpoint", endpoint.host() + ":" + endpoint.port());
                }
                log.event(endpoint.name(), "warmup", "end");
            }
            for (int round = 1; round <= rounds; round++) {
                List<Endpoint> order = order(groups, round);
                System.err.printf("bench: round %d of %d%n", round, rounds);
                if (phases.contains("latency")) {
                    for (Endpoint endpoint : order) {
                        log.event(endpoint.name(), "latency", "begin");
                        SideCpu.Reading cpu0 = cpu.read(endpoint);
                        RoundTripLatency.Result r = RoundTripLatency.run(endpoint, tls, lat, 500, roundTrips);
                        // Two commands (NOOP, STAT) per iteration, the 500 unmeasured ones included.
                        cpu.record(figures, endpoint, "latency", cpu0, cpu.read(endpoint), 2L * (500 + roundTrips), 0);
                        log.event(endpoint.name(), "latency", "end");
                        figures.latency(endpoint.name(), "noop", r.noop());
                        figures.latency(endpoint.name(), "stat", r.stat());
                        progress(endpoint, "NOOP p50 %.0f us p99 %.0f us; STAT p50 %.0f us p99 %.0f us",
                                r.noop().getValueAtPercentile(50) / 1e3, r.noop().getValueAtPercentile(99) / 1e3,
                                r.stat().getValueAtPercentile(50) / 1e3, r.stat().getValueAtPercentile(99) / 1e3);
                    }
                }
                if (phases.contains("retr4k")) {
                    throughput(log, figures, cpu, order, tls, small, "retr4k", 1, smallPerSession, pool);
                    throughput(log, figures, cpu, order, tls, small, "retr4k", parallel, smallPerParallelSession, pool);
                }
                if (phases.contains("retr10m")) {
                    throughput(log, figures, cpu, order, tls, big, "retr10m", 1, bigPerSession, pool);
                    throughput(log, figures, cpu, order, tls, big, "retr10m", parallel, bigPerSession, pool);
                }
            }
            figures.write(log);
            for (Endpoint endpoint : endpoints.values()) {
                log.put(endpoint.name(), "latency.round_trips", (long) roundTrips * rounds);
            }
            if (phases.contains("crowd")) {
                for (Endpoint endpoint : endpoints.values()) {
                    sessions(log, endpoint, tls, "crowd", crowd, crowdMessages, messageOctets, crowd.size(),
                            endpoint.isProxy() ? hold : null);
                }
            }
            if (phases.contains("many") && !many.isEmpty()) {
                List<Account> accounts = crowd(manySessions);
                log.put("run", "many.sessions", manySessions);
                log.put("run", "many.in_flight", manyInFlight);
                for (Endpoint endpoint : many.values()) {
                    // Unmeasured: popbridge's JIT and Dovecot's pop3-many processes see sessions first.
                    log.event(endpoint.name(), "warmup", "begin");
                    ConcurrentSessions.run(endpoint, tls, accounts.subList(0, Math.min(1000, accounts.size())),
                            crowdMessages, messageOctets, 50, null);
                    log.put(endpoint.name(), "endpoint", endpoint.host() + ":" + endpoint.port());
                    log.event(endpoint.name(), "warmup", "end");
                }
                for (Endpoint endpoint : many.values()) {
                    sessions(log, endpoint, tls, "many", accounts, crowdMessages, messageOctets, manyInFlight,
                            endpoint.isProxy() ? hold : null);
                }
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /**
     * One many-sessions run on ENDPOINT, its figures under PREFIX (crowd: 1,000 sessions, all
     * connecting at once; many: 10,000, at most IN-FLIGHT logging in at a time).
     */
    private static void sessions(ResultLog log, Endpoint endpoint, SSLContext tls, String prefix,
            List<Account> accounts, int crowdMessages, long messageOctets, int inFlight, HoldPoint hold)
            throws Exception {
        // Let Dovecot reap the previous run's processes before the next burst.
        Thread.sleep(3000);
        log.event(endpoint.name(), prefix, "begin");
        ConcurrentSessions.Result r = ConcurrentSessions.run(endpoint, tls, accounts, crowdMessages,
                messageOctets, accounts.size(), inFlight, hold);
        log.event(endpoint.name(), prefix, "end");
        String t = endpoint.name();
        log.put(t, prefix + ".sessions", r.sessions());
        log.put(t, prefix + ".open_at_once", r.openAtOnce());
        log.put(t, prefix + ".failures", r.failures());
        log.put(t, prefix + ".failure_kinds", r.failureKinds().toString());
        log.put(t, prefix + ".wall_s", r.wallNanos() / 1e9);
        log.put(t, prefix + ".login_phase_s", r.loginPhaseNanos() / 1e9);
        log.put(t, prefix + ".work_phase_s", r.workPhaseNanos() / 1e9);
        log.put(t, prefix + ".hold_s", r.holdNanos() / 1e9);
        putMillis(log, t, prefix + ".login", r.loginLatency());
        putMillis(log, t, prefix + ".work", r.workLatency());
        log.logins(t, prefix, r.loginTimes());
        progress(endpoint, "%d sessions: %d open at once, %d failed %s, wall %.2f s (login %.2f + work %.2f)",
                r.sessions(), r.openAtOnce(), r.failures(), r.failures() > 0 ? r.failureKinds() : "",
                r.wallNanos() / 1e9, r.loginPhaseNanos() / 1e9, r.workPhaseNanos() / 1e9);
    }

    /**
     * The endpoints in the order of ROUND (from 1): each group rotated left by round - 1, so in
     * a pair odd rounds measure direct first and even rounds popbridge first.
     */
    static List<Endpoint> order(List<List<Endpoint>> groups, int round) {
        List<Endpoint> order = new ArrayList<>();
        for (List<Endpoint> group : groups) {
            List<Endpoint> rotated = new ArrayList<>(group);
            if (!rotated.isEmpty()) {
                java.util.Collections.rotate(rotated, -((round - 1) % rotated.size()));
            }
            order.addAll(rotated);
        }
        return order;
    }

    private static void throughput(ResultLog log, Rounds figures, SideCpu cpu, List<Endpoint> order,
            SSLContext tls, Account account, String phase, int sessions, int perSession, ExecutorService pool)
            throws InterruptedException {
        for (Endpoint endpoint : order) {
            String key = phase + ".s" + sessions;
            log.event(endpoint.name(), key, "begin");
            SideCpu.Reading cpu0 = cpu.read(endpoint);
            RetrThroughput.Result r = RetrThroughput.run(endpoint, tls, account, sessions, perSession, pool);
            cpu.record(figures, endpoint, key, cpu0, cpu.read(endpoint), r.messages(), r.octets());
            log.event(endpoint.name(), key, "end");
            figures.add(endpoint.name(), key + ".mbps", r.megabytesPerSecond());
            figures.add(endpoint.name(), key + ".msgps", r.messagesPerSecond());
            figures.sum(endpoint.name(), key + ".octets", r.octets());
            figures.sum(endpoint.name(), key + ".messages", r.messages());
            figures.sum(endpoint.name(), key + ".failures", r.failures());
            if (r.failures() > 0) {
                log.put(endpoint.name(), key + ".first_failure", r.firstFailure());
            }
            progress(endpoint, "%s x%d: %.1f MB/s, %.0f msg/s (%d messages, %.2f s)%s", phase, sessions,
                    r.megabytesPerSecond(), r.messagesPerSecond(), r.messages(), r.nanos() / 1e9,
                    r.failures() > 0 ? ", " + r.failures() + " failed: " + r.firstFailure() : "");
        }
    }

    private static void putMillis(ResultLog log, String target, String name, Histogram h) {
        if (h.getTotalCount() == 0) {
            return;
        }
        log.put(target, name + ".p50_ms", h.getValueAtPercentile(50) / 1e6);
        log.put(target, name + ".p99_ms", h.getValueAtPercentile(99) / 1e6);
        log.put(target, name + ".max_ms", h.getMaxValue() / 1e6);
    }

    private static void progress(Endpoint endpoint, String format, Object... args) {
        System.err.printf("bench: %-12s " + format + "%n", prepend(endpoint.name(), args));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    /** An SSLContext trusting only the test CA that signed Dovecot's certificate. */
    static SSLContext trusting(Path caFile) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca" + i++, cert);
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** Daemon threads with a name prefix and, if non-zero, a small stack (1,000 of them run at once). */
    static ThreadFactory threads(String prefix, long stackSize) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(null, task, prefix + "-" + n.incrementAndGet(), stackSize);
            thread.setDaemon(true);
            return thread;
        };
    }
}
