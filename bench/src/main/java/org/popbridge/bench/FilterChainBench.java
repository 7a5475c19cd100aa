package org.popbridge.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The filter-chain benchmark (bench/run-filters.sh): Dovecot directly, popbridge without
 * filters and popbridge with the example chain, all on plain POP3, in one run of rounds that
 * reverse the order every other round.
 *
 * <pre>
 *   filters --out DIR --targets NAME=PORT:PID,... --scan-users U0,U1,... [--rounds 5]
 *       [--scan-messages 1000] [--second-logins 5] [--big-per-session 40]
 *       [--big-per-parallel-session 20] [--small-per-session 6000]
 *       [--small-per-parallel-session 3000] [--parallel 4] [--clk-tck 100] [--check true]
 * </pre>
 *
 * The targets are, in this order, direct Dovecot (PID 0: no CPU figures), popbridge without
 * filters and popbridge with filters. Per round: logins (the round's own scan mailbox, first
 * login then {@code second-logins} more, each timed from before connect to the STAT reply),
 * then RETR of 10 MB messages (1 and {@code parallel} sessions) and of 4 KB messages (1 and
 * {@code parallel} sessions), each checked against LIST. The first scan user is the warm-up's;
 * round r uses user r, so the chain-on proxy meets it with an empty verdict cache. Before
 * measuring, the client checks that the third target really runs the example chain and the
 * others do not ({@code --check false} skips that, to measure another configuration).
 */
final class FilterChainBench {

    private static final String PASSWORD = "bench-secret";

    private final Path out;
    private final List<BenchTarget> targets;
    private final List<String> scanUsers;
    private final int rounds;
    private final int scanMessages;
    private final int secondLogins;
    private final int bigPerSession;
    private final int bigPerParallelSession;
    private final int smallPerSession;
    private final int smallPerParallelSession;
    private final int parallel;
    private final double clkTck;
    private final boolean check;
    private final RoundFigures figures = new RoundFigures();
    private final Map<String, String> notes = new LinkedHashMap<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    FilterChainBench(Map<String, String> options) {
        out = Path.of(options.get("out"));
        targets = BenchTarget.parse(options.get("targets"));
        if (targets.size() != 3) {
            throw new IllegalArgumentException("--targets needs direct, chain-off and chain-on, in that order");
        }
        scanUsers = List.of(options.get("scan-users").split(","));
        rounds = Integer.parseInt(options.getOrDefault("rounds", "5"));
        if (scanUsers.size() < rounds + 1) {
            throw new IllegalArgumentException("--scan-users needs one mailbox per round and one for the warm-up");
        }
        scanMessages = Integer.parseInt(options.getOrDefault("scan-messages", "1000"));
        secondLogins = Integer.parseInt(options.getOrDefault("second-logins", "5"));
        bigPerSession = Integer.parseInt(options.getOrDefault("big-per-session", "40"));
        bigPerParallelSession = Integer.parseInt(options.getOrDefault("big-per-parallel-session", "20"));
        smallPerSession = Integer.parseInt(options.getOrDefault("small-per-session", "6000"));
        smallPerParallelSession = Integer.parseInt(options.getOrDefault("small-per-parallel-session", "3000"));
        parallel = Integer.parseInt(options.getOrDefault("parallel", "4"));
        clkTck = Double.parseDouble(options.getOrDefault("clk-tck", "100"));
        check = Boolean.parseBoolean(options.getOrDefault("check", "true"));
    }

    private BenchTarget direct() {
        return targets.get(0);
    }

    private BenchTarget off() {
        return targets.get(1);
    }

    private BenchTarget on() {
        return targets.get(2);
    }

    void run() throws Exception {
        Files.createDirectories(out);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(parallel, 1), BenchMain.threads("retr", 0));
        Account big = new Account("big", PASSWORD);
        Account small = new Account("small", PASSWORD);
        try {
            warmDovecot(big, small);
            if (check) {
                checkFiltering(small);
            }
            // Warm-up, unmeasured: every phase once at full size, so the JIT compilers have settled
            // on every side (the chain-on proxy has more code to compile), netty's buffer pools
            // are grown, and the chain-on proxy has the verdicts for big and small (its first login
            // to each reads every header block with TOP n 0).
            System.err.println("bench: warm-up round (not measured)");
            for (BenchTarget t : targets) {
                login(t, scanUsers.get(0));
                for (int i = 0; i < secondLogins; i++) {
                    login(t, scanUsers.get(0));
                }
                RetrThroughput.run(t.endpoint(false), null, big, 1, bigPerSession, pool);
                RetrThroughput.run(t.endpoint(false), null, big, parallel, bigPerParallelSession, pool);
                RetrThroughput.run(t.endpoint(false), null, small, 1, smallPerSession, pool);
                RetrThroughput.run(t.endpoint(false), null, small, parallel, smallPerParallelSession, pool);
            }
            Map<String, Long> jit0 = new LinkedHashMap<>();
            for (BenchTarget t : targets) {
                jit0.put(t.name(), jitTicks(t));
            }
            for (int round = 1; round <= rounds; round++) {
                List<BenchTarget> order = new ArrayList<>(targets);
                if (round % 2 == 0) {
                    Collections.reverse(order);
                }
                System.err.printf("bench: round %d of %d (%s)%n", round, rounds,
                        String.join(", ", order.stream().map(BenchTarget::name).toList()));
                String user = scanUsers.get(round);
                for (BenchTarget t : order) {
                    logins(t, user);
                }
                for (BenchTarget t : order) {
                    retr(t, big, "retr10m.s1", 1, bigPerSession, pool);
                }
                for (BenchTarget t : order) {
                    retr(t, big, "retr10m.s" + parallel, parallel, bigPerParallelSession, pool);
                }
                for (BenchTarget t : order) {
                    retr(t, small, "retr4k.s1", 1, smallPerSession, pool);
                }
                for (BenchTarget t : order) {
                    retr(t, small, "retr4k.s" + parallel, parallel, smallPerParallelSession, pool);
                }
            }
            for (BenchTarget t : targets) {
                if (t.pid() > 0) {
                    add("jit_s", t, (jitTicks(t) - jit0.get(t.name())) / clkTck);
                }
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        for (BenchTarget t : targets) {
            if (t.pid() > 0) {
                add("hwm_mb", t, statusKb(t, "VmHWM") / 1024.0);
            }
        }
        String markdown = markdown();
        Files.writeString(out.resolve("filters-results.md"), markdown);
        Files.writeString(out.resolve("filters-raw.tsv"), raw());
        PrintStream stdout = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, "UTF-8");
        stdout.print(markdown);
        stdout.flush();
    }

    /** One unmeasured direct pass: UIDL, LIST and TOP n 0 of every message, so Dovecot has its indexes. */
    private void warmDovecot(Account big, Account small) throws IOException {
        long t0 = System.nanoTime();
        List<Account> all = new ArrayList<>(List.of(big, small));
        scanUsers.forEach(u -> all.add(new Account(u, PASSWORD)));
        for (Account account : all) {
            try (Pop3Connection c = Pop3Connection.open(direct().endpoint(false), null)) {
                c.login(account);
                c.uidl();
                long[] sizes = c.list();
                for (int n = 1; n <= sizes.length; n++) {
                    c.topHeaders(n);
                }
                c.quit();
            }
        }
        System.err.printf("bench: warm-up pass over %d mailboxes directly: %.1f s%n", all.size(),
                (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The chain really runs: through chain-on, message 1 of small is tagged and message 3 has lost
     * X-Internal-Trace; through the others both are as stored. Also counts the messages whose LIST
     * size the chain changed.
     */
    private void checkFiltering(Account small) throws IOException {
        for (BenchTarget t : targets) {
            boolean filtered = t == on();
            try (Pop3Connection c = Pop3Connection.open(t.endpoint(false), null)) {
                c.login(small);
                List<String> tagged = c.topHeaders(1);
                List<String> traced = c.topHeaders(3);
                boolean isTagged = tagged.stream().anyMatch(l -> l.startsWith("Subject: [SPAM] "))
                        && tagged.contains("X-Spam-Flag: YES");
                boolean hasTrace = traced.stream().anyMatch(l -> l.startsWith("X-Internal-Trace:"));
                if (isTagged != filtered || hasTrace == filtered) {
                    throw new Pop3Exception(t.name() + ": message 1 " + (isTagged ? "tagged" : "not tagged")
                            + ", message 3 " + (hasTrace ? "with" : "without") + " X-Internal-Trace");
                }
                notes.put(t.name() + ".list", java.util.Arrays.toString(java.util.Arrays.copyOf(c.list(), 4)));
                c.quit();
            }
        }
        long[] offSizes;
        long[] onSizes;
        try (Pop3Connection c = Pop3Connection.open(off().endpoint(false), null)) {
            c.login(small);
            offSizes = c.list();
            c.quit();
        }
        try (Pop3Connection c = Pop3Connection.open(on().endpoint(false), null)) {
            c.login(small);
            onSizes = c.list();
            c.quit();
        }
        int changed = 0;
        for (int i = 0; i < Math.min(offSizes.length, onSizes.length); i++) {
            if (offSizes[i] != onSizes[i]) {
                changed++;
            }
        }
        notes.put("small.changed", changed + " of " + onSizes.length);
        System.err.printf("bench: check: chain-on tags message 1 and drops X-Internal-Trace from message 3;"
                + " LIST sizes differ from chain-off for %d of %d messages of small%n", changed, onSizes.length);
    }

    /** Connect, greeting, USER, PASS, STAT: milliseconds to the STAT reply. */
    private double login(BenchTarget t, String user) throws IOException {
        long t0 = System.nanoTime();
        try (Pop3Connection c = Pop3Connection.open(t.endpoint(false), null)) {
            c.login(new Account(user, PASSWORD));
            String stat = c.command("STAT");
            long nanos = System.nanoTime() - t0;
            c.quit();
            String[] parts = stat.split(" ");
            if (parts.length < 2 || Integer.parseInt(parts[1]) != scanMessages && user.startsWith("scan")) {
                throw new Pop3Exception(t.name() + " " + user + ": " + stat + ", expected " + scanMessages + " messages");
            }
            return nanos / 1e6;
        }
    }

    private void logins(BenchTarget t, String user) throws IOException {
        long cpu0 = cpuTicks(t);
        double first = login(t, user);
        double firstCpu = (cpuTicks(t) - cpu0) / clkTck * 1e3;
        List<Double> seconds = new ArrayList<>();
        cpu0 = cpuTicks(t);
        for (int i = 0; i < secondLogins; i++) {
            seconds.add(login(t, user));
        }
        double secondCpu = (cpuTicks(t) - cpu0) / clkTck * 1e3 / secondLogins;
        add("login.first.ms", t, first);
        add("login.second.ms", t, RoundFigures.median(seconds));
        if (t.pid() > 0) {
            add("login.first.cpu_ms", t, firstCpu);
            add("login.second.cpu_ms", t, secondCpu);
        }
        System.err.printf("bench: %-10s login %s: first %.1f ms, then median %.1f ms (popbridge CPU %.0f / %.0f ms)%n",
                t.name(), user, first, RoundFigures.median(seconds), firstCpu, secondCpu);
    }

    private void retr(BenchTarget t, Account account, String key, int sessions, int perSession, ExecutorService pool)
            throws Exception {
        long cpu0 = cpuTicks(t);
        RetrThroughput.Result r = RetrThroughput.run(t.endpoint(false), null, account, sessions, perSession, pool);
        double cpu = (cpuTicks(t) - cpu0) / clkTck;
        add(key + ".mbps", t, r.megabytesPerSecond());
        add(key + ".msgps", t, r.messagesPerSecond());
        add(key + ".failed", t, r.failures());
        if (t.pid() > 0) {
            add(key + ".cpu_s_per_gb", t, cpu / (r.octets() / 1e9));
            add(key + ".cpu_us_per_msg", t, r.messages() == 0 ? 0 : cpu * 1e6 / r.messages());
            add("rss_mb", t, statusKb(t, "VmRSS") / 1024.0);
        }
        if (r.failures() > 0) {
            failures.add(t.name() + " " + key + ": " + r.failures() + " failed, first: " + r.firstFailure());
        }
        System.err.printf("bench: %-10s %s: %.1f MB/s, %.0f msg/s (%.2f s)%s%n", t.name(), key,
                r.megabytesPerSecond(), r.messagesPerSecond(), r.nanos() / 1e9,
                t.pid() > 0 ? String.format(", popbridge CPU %.2f s", cpu) : "");
    }

    private static long cpuTicks(BenchTarget t) throws IOException {
        return t.pid() <= 0 ? 0 : ProcessCounters.cpuTicks(t.pid());
    }

    private static long jitTicks(BenchTarget t) throws IOException {
        return t.pid() <= 0 ? 0 : ProcessCounters.jitTicks(t.pid());
    }

    private static long statusKb(BenchTarget t, String key) throws IOException {
        return ProcessCounters.statusKb(t.pid(), key);
    }

    private void add(String key, BenchTarget t, double value) {
        figures.add(key, t.name(), value);
    }

    private String cell(String key, BenchTarget t, String format) {
        return figures.cell(key, t.name(), format);
    }

    /** The median of the per-round ratios B ÷ A (each round measures both back to back), with their range. */
    private String ratio(String key, BenchTarget a, BenchTarget b) {
        return figures.medianOfRatios(key, a.name(), b.name());
    }

    private String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("Medians of ").append(rounds).append(" rounds (the order of the three reversed every other round),"
                + " slowest–fastest round in small print. Ratios are the median of the per-round ratios"
                + " (on and off measured back to back in each round), range in small print."
                + " The chain changed the header block, and so the LIST size, of ")
                .append(notes.getOrDefault("small.changed", "?")).append(" messages of the 4 KB mailbox.\n\n");
        md.append("| measurement | direct Dovecot | chain off | chain on | on ÷ off | off ÷ direct |\n")
                .append("|---|---:|---:|---:|---:|---:|\n");
        String p = String.valueOf(parallel);
        row(md, "RETR 10 MB, 1 session (MB/s)", "retr10m.s1.mbps", "%,.0f", true);
        row(md, "RETR 10 MB, " + p + " sessions at once (MB/s, total)", "retr10m.s" + p + ".mbps", "%,.0f", true);
        row(md, "RETR 4 KB, 1 session (messages/s)", "retr4k.s1.msgps", "%,.0f", true);
        row(md, "RETR 4 KB, " + p + " sessions at once (messages/s, total)", "retr4k.s" + p + ".msgps", "%,.0f", true);
        row(md, "first login, " + String.format("%,d", scanMessages)
                + "-message mailbox, empty verdict cache: connect to STAT reply (ms)", "login.first.ms", "%,.1f", true);
        row(md, "second login, same mailbox, verdicts cached (ms, median of " + secondLogins + ")",
                "login.second.ms", "%,.1f", true);
        row(md, "popbridge CPU, first login (ms; 10 ms ticks)", "login.first.cpu_ms", "%,.0f", false, false);
        row(md, "popbridge CPU, second login (ms, mean; 10 ms ticks)", "login.second.cpu_ms", "%,.1f", false, false);
        row(md, "popbridge CPU per GB, RETR 10 MB 1 session (s)", "retr10m.s1.cpu_s_per_gb", "%.2f", false);
        row(md, "popbridge CPU per GB, RETR 10 MB " + p + " sessions (s)", "retr10m.s" + p + ".cpu_s_per_gb", "%.2f", false);
        row(md, "popbridge CPU per message, RETR 4 KB 1 session (µs)", "retr4k.s1.cpu_us_per_msg", "%,.0f", false);
        row(md, "popbridge CPU per message, RETR 4 KB " + p + " sessions (µs)", "retr4k.s" + p + ".cpu_us_per_msg",
                "%,.0f", false);
        row(md, "popbridge JIT compiler CPU during the measured rounds (s)", "jit_s", "%.2f", false, false);
        row(md, "popbridge RSS after each RETR phase (MB)", "rss_mb", "%.0f", false, false);
        row(md, "popbridge peak RSS, whole run (VmHWM, MB)", "hwm_mb", "%.0f", false, false);
        md.append('\n');
        long failedTotal = figures.sumOf(".failed");
        md.append("Failed sessions over the run: ").append(failedTotal).append(".\n");
        synchronized (failures) {
            failures.stream().limit(5).forEach(f -> md.append("- ").append(f).append('\n'));
        }
        return md.toString();
    }

    private void row(StringBuilder md, String label, String key, String format, boolean withDirect) {
        row(md, label, key, format, withDirect, true);
    }

    private void row(StringBuilder md, String label, String key, String format, boolean withDirect,
            boolean withRatio) {
        md.append("| ").append(label).append(" | ").append(withDirect ? cell(key, direct(), format) : "–")
                .append(" | ").append(cell(key, off(), format)).append(" | ").append(cell(key, on(), format))
                .append(" | ").append(withRatio ? ratio(key, off(), on()) : "").append(" | ")
                .append(withDirect ? ratio(key, direct(), off()) : "").append(" |\n");
    }

    private String raw() {
        return figures.raw(notes);
    }
}
