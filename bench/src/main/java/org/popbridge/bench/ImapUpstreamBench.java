package org.popbridge.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The IMAP-upstream benchmark (bench/run-imap.sh, issue 5): one large mailbox read through
 * Dovecot's POP3 directly, through popbridge relaying to that POP3 server, and through popbridge
 * serving it from the same mailbox over Dovecot's IMAP, all on plain POP3 and plain upstreams.
 *
 * <pre>
 *   imap --out DIR --targets direct=PORT:0,pop3-relay=PORT:PID[,imap-backed=PORT:PID] --user U
 *       [--messages 5000] [--rounds 3] [--logins 20] [--clk-tck 100] [--dovecot-pid PID]
 * </pre>
 *
 * The targets are, in this order, Dovecot's POP3 (PID 0), popbridge with a POP3 upstream and,
 * if it runs, popbridge with an IMAP upstream. First each target's first login of the run
 * (a popbridge that has served nobody yet), then a check that every target lists the same
 * messages with the same sizes and serves the same octets for a sample of them, then an
 * unmeasured warm-up (the logins of a round and four RETR passes), then rounds that reverse the
 * order every other round:
 * <ul>
 *   <li>logins: one, timed on its own (the round's first), then {@code logins} more; each from
 *       before connect to the STAT reply (greeting, USER, PASS, STAT), QUIT not timed;</li>
 *   <li>RETR of every message of the mailbox on one session, one after the other (not
 *       pipelined), each checked against LIST; the login before it is not timed.</li>
 * </ul>
 * popbridge's CPU time is read around each phase (and its JIT compilers' over all rounds), and
 * with {@code --dovecot-pid} the CPU time of Dovecot's mail processes (pop3, imap: one per
 * session, counted by the master when they end). Exits with status 1 after printing the tables
 * if a check, a login or a RETR failed.
 */
final class ImapUpstreamBench {

    private static final String PASSWORD = "bench-secret";
    /** How long to give Dovecot's master to reap a session's mail process after QUIT. */
    private static final long REAP_PAUSE_MS = 300;
    /** Unmeasured RETR passes over the mailbox before the rounds, enough for the JIT compilers to settle. */
    private static final int WARM_UP_PASSES = 4;

    private final Path out;
    private final List<BenchTarget> targets;
    private final Account account;
    private final int messages;
    private final int rounds;
    private final int logins;
    private final double clkTck;
    private final long dovecotPid;
    private final RoundFigures figures = new RoundFigures();
    private final Map<String, String> notes = new LinkedHashMap<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    /** Targets that could not serve the mailbox at all; no later phase runs on them. */
    private final Set<String> broken = new HashSet<>();

    ImapUpstreamBench(Map<String, String> options) {
        out = Path.of(options.get("out"));
        targets = BenchTarget.parse(options.get("targets"));
        if (targets.size() < 2 || targets.size() > 3) {
            throw new IllegalArgumentException(
                    "--targets needs direct, the POP3 relay and optionally the IMAP-backed popbridge, in that order");
        }
        account = new Account(options.get("user"), PASSWORD);
        messages = Integer.parseInt(options.getOrDefault("messages", "5000"));
        rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        logins = Integer.parseInt(options.getOrDefault("logins", "20"));
        clkTck = Double.parseDouble(options.getOrDefault("clk-tck", "100"));
        dovecotPid = Long.parseLong(options.getOrDefault("dovecot-pid", "0"));
    }

    private BenchTarget direct() {
        return targets.get(0);
    }

    private BenchTarget relay() {
        return targets.get(1);
    }

    /** The IMAP-backed popbridge, or null when the script could not start it. */
    private BenchTarget imap() {
        return targets.size() > 2 ? targets.get(2) : null;
    }

    void run() throws Exception {
        Files.createDirectories(out);
        ExecutorService pool = Executors.newFixedThreadPool(1, BenchMain.threads("retr", 0));
        try {
            System.err.println("bench: first login of the run through each target");
            for (BenchTarget t : targets) {
                try {
                    figures.add("login.cold.ms", t.name(), login(t));
                } catch (IOException e) {
                    fail(t, "first login", e);
                    broken.add(t.name());
                }
            }
            check();
            System.err.println("bench: warm-up round (not measured)");
            for (BenchTarget t : live(targets)) {
                try {
                    for (int i = 0; i < logins; i++) {
                        login(t);
                    }
                } catch (IOException e) {
                    fail(t, "warm-up login", e);
                }
                for (int pass = 0; pass < WARM_UP_PASSES; pass++) {
                    RetrThroughput.Result r = RetrThroughput.run(t.endpoint(false), null, account, 1, messages, pool);
                    if (r.failures() > 0) {
                        failures.add(t.name() + " warm-up RETR: " + r.firstFailure());
                    }
                }
            }
            Map<String, Long> jit0 = new LinkedHashMap<>();
            for (BenchTarget t : live(targets)) {
                jit0.put(t.name(), jitTicks(t));
            }
            for (int round = 1; round <= rounds; round++) {
                List<BenchTarget> order = new ArrayList<>(live(targets));
                if (round % 2 == 0) {
                    Collections.reverse(order);
                }
                System.err.printf("bench: round %d of %d (%s)%n", round, rounds,
                        String.join(", ", order.stream().map(BenchTarget::name).toList()));
                for (BenchTarget t : order) {
                    logins(t);
                }
                for (BenchTarget t : order) {
                    retrAll(t, pool);
                }
            }
            for (BenchTarget t : live(targets)) {
                if (t.isPopbridge()) {
                    figures.add("jit_s", t.name(), (jitTicks(t) - jit0.get(t.name())) / clkTck);
                }
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        for (BenchTarget t : targets) {
            if (t.isPopbridge() && Files.exists(Path.of("/proc/" + t.pid()))) {
                figures.add("hwm_mb", t.name(), ProcessCounters.statusKb(t.pid(), "VmHWM") / 1024.0);
            }
        }
        String markdown = markdown();
        Files.writeString(out.resolve("imap-results.md"), markdown);
        Files.writeString(out.resolve("imap-raw.tsv"), figures.raw(notes));
        PrintStream stdout = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, "UTF-8");
        stdout.print(markdown);
        stdout.flush();
        if (!failures.isEmpty()) {
            // The tables are out; the script still writes its report, and exits with this status.
            System.err.println("bench: " + failures.size() + " problems over the run; see the report");
            System.exit(1);
        }
    }

    private List<BenchTarget> live(List<BenchTarget> all) {
        return all.stream().filter(t -> !broken.contains(t.name())).toList();
    }

    /**
     * Every target lists the mailbox as Dovecot's POP3 does (the same number of messages, the
     * same sizes in the same order, a UIDL line for each, all distinct) and serves the same
     * octets for the first, middle, last and largest message.
     */
    private void check() {
        long[] reference = null;
        Map<Integer, String> referenceDigests = new LinkedHashMap<>();
        for (BenchTarget t : live(targets)) {
            try (Pop3Connection c = Pop3Connection.open(t.endpoint(false), null)) {
                c.login(account);
                long[] sizes = c.list();
                int uidl = c.uidl();
                if (reference == null) {
                    reference = sizes;
                    describeMailbox(sizes);
                    for (int n : sample(sizes)) {
                        referenceDigests.put(n, HexFormat.of().formatHex(c.retrDigest(n)));
                    }
                    notes.put("check." + t.name(), "reference");
                } else {
                    List<String> problems = new ArrayList<>();
                    if (!Arrays.equals(sizes, reference)) {
                        problems.add(listDifference(reference, sizes));
                    }
                    if (uidl != sizes.length) {
                        problems.add("UIDL listed " + uidl + " messages, LIST " + sizes.length);
                    }
                    for (Map.Entry<Integer, String> e : referenceDigests.entrySet()) {
                        if (e.getKey() <= sizes.length
                                && !HexFormat.of().formatHex(c.retrDigest(e.getKey())).equals(e.getValue())) {
                            problems.add("RETR " + e.getKey() + " differs from " + direct().name() + "'s");
                        }
                    }
                    String verdict = problems.isEmpty()
                            ? "same LIST (" + String.format("%,d", sizes.length) + " sizes), " + uidl
                                    + " UIDL lines, RETR " + referenceDigests.keySet() + " byte-identical"
                            : String.join("; ", problems);
                    notes.put("check." + t.name(), verdict);
                    if (!problems.isEmpty()) {
                        failures.add(t.name() + " check: " + verdict);
                    }
                }
                c.quit();
            } catch (IOException e) {
                fail(t, "check", e);
                broken.add(t.name());
            }
            System.err.printf("bench: check %-12s %s%n", t.name(), notes.getOrDefault("check." + t.name(), "failed"));
        }
    }

    private static List<Integer> sample(long[] sizes) {
        int largest = 0;
        for (int i = 1; i < sizes.length; i++) {
            if (sizes[i] > sizes[largest]) {
                largest = i;
            }
        }
        List<Integer> sample = new ArrayList<>();
        for (int n : new int[] {1, (sizes.length + 1) / 2, sizes.length, largest + 1}) {
            if (n >= 1 && !sample.contains(n)) {
                sample.add(n);
            }
        }
        return sample;
    }

    private static String listDifference(long[] reference, long[] sizes) {
        if (sizes.length != reference.length) {
            return "LIST has " + sizes.length + " messages, " + reference.length + " expected";
        }
        int differ = 0;
        int first = -1;
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] != reference[i]) {
                differ++;
                first = first < 0 ? i : first;
            }
        }
        return "LIST sizes differ for " + differ + " messages, first message " + (first + 1) + ": "
                + sizes[first] + " against " + reference[first];
    }

    private void describeMailbox(long[] sizes) {
        long total = Arrays.stream(sizes).sum();
        long large = Arrays.stream(sizes).filter(s -> s > 64 * 1024).count();
        long largeOctets = Arrays.stream(sizes).filter(s -> s > 64 * 1024).sum();
        List<Double> small = Arrays.stream(sizes).filter(s -> s <= 64 * 1024).mapToObj(s -> (double) s).toList();
        notes.put("mailbox", String.format("`%s`: %,d messages, %.1f MB; %,d of %.1f–%.1f KB (median %.1f KB)"
                + " and %d larger ones of %.1f MB together (%.1f–%.1f MiB)",
                account.user(), sizes.length, total / 1e6,
                small.size(), Collections.min(small) / 1024, Collections.max(small) / 1024,
                RoundFigures.median(small) / 1024, large, largeOctets / 1e6,
                Arrays.stream(sizes).filter(s -> s > 64 * 1024).min().orElse(0) / 1048576.0,
                Arrays.stream(sizes).max().orElse(0) / 1048576.0));
        notes.put("mailbox.octets", String.valueOf(total));
    }

    /** Connect, greeting, USER, PASS, STAT: milliseconds to the STAT reply; then QUIT, not timed. */
    private double login(BenchTarget t) throws IOException {
        long t0 = System.nanoTime();
        try (Pop3Connection c = Pop3Connection.open(t.endpoint(false), null)) {
            c.login(account);
            String stat = c.command("STAT");
            long nanos = System.nanoTime() - t0;
            c.quit();
            String[] parts = stat.split(" ");
            if (parts.length < 2 || Integer.parseInt(parts[1]) != messages) {
                throw new Pop3Exception("STAT: " + stat + ", expected " + messages + " messages");
            }
            return nanos / 1e6;
        }
    }

    private void logins(BenchTarget t) throws IOException, InterruptedException {
        Thread.sleep(REAP_PAUSE_MS); // the previous phase's last mail process is Dovecot's to count, not this one's
        long cpu0 = cpuTicks(t);
        long dovecot0 = dovecotTicks();
        List<Double> times = new ArrayList<>();
        double first;
        try {
            first = login(t);
            for (int i = 0; i < logins; i++) {
                times.add(login(t));
            }
        } catch (IOException e) {
            fail(t, "login", e);
            return;
        }
        Thread.sleep(REAP_PAUSE_MS);
        double perLogin = 1e3 / clkTck / (logins + 1);
        figures.add("login.first.ms", t.name(), first);
        times.forEach(v -> figures.add("login.ms", t.name(), v));
        figures.add("login.p50.ms", t.name(), RoundFigures.median(times));
        figures.add("login.p90.ms", t.name(), RoundFigures.percentile(times, 90));
        if (t.isPopbridge()) {
            figures.add("login.cpu_ms", t.name(), (cpuTicks(t) - cpu0) * perLogin);
        }
        if (dovecotPid > 0) {
            figures.add("login.dovecot_cpu_ms", t.name(), (dovecotTicks() - dovecot0) * perLogin);
        }
        System.err.printf("bench: %-12s logins: first %.1f ms, then median %.1f ms, p90 %.1f ms%n", t.name(), first,
                RoundFigures.median(times), RoundFigures.percentile(times, 90));
    }

    private void retrAll(BenchTarget t, ExecutorService pool) throws Exception {
        Thread.sleep(REAP_PAUSE_MS);
        long cpu0 = cpuTicks(t);
        long dovecot0 = dovecotTicks();
        RetrThroughput.Result r = RetrThroughput.run(t.endpoint(false), null, account, 1, messages, pool);
        Thread.sleep(REAP_PAUSE_MS);
        double cpu = (cpuTicks(t) - cpu0) / clkTck;
        double dovecotCpu = (dovecotTicks() - dovecot0) / clkTck;
        figures.add("retr.failed", t.name(), r.failures());
        if (r.failures() > 0) {
            failures.add(t.name() + " RETR: " + r.failures() + " failed, first: " + r.firstFailure());
            return;
        }
        figures.add("retr.mbps", t.name(), r.megabytesPerSecond());
        figures.add("retr.msgps", t.name(), r.messagesPerSecond());
        figures.add("retr.s", t.name(), r.nanos() / 1e9);
        if (t.isPopbridge()) {
            figures.add("retr.cpu_us_per_msg", t.name(), cpu * 1e6 / r.messages());
            figures.add("retr.cpu_s", t.name(), cpu);
            figures.add("rss_mb", t.name(), ProcessCounters.statusKb(t.pid(), "VmRSS") / 1024.0);
        }
        if (dovecotPid > 0) {
            figures.add("retr.dovecot_cpu_s", t.name(), dovecotCpu);
        }
        System.err.printf("bench: %-12s RETR 1..%d: %.1f MB/s, %.0f msg/s (%.2f s)%s%n", t.name(), r.messages(),
                r.megabytesPerSecond(), r.messagesPerSecond(), r.nanos() / 1e9,
                t.isPopbridge() ? String.format(", popbridge CPU %.2f s", cpu) : "");
    }

    private void fail(BenchTarget t, String phase, Exception e) {
        String text = t.name() + " " + phase + ": " + RetrThroughput.describe(e);
        failures.add(text);
        System.err.println("bench: " + text);
    }

    private static long cpuTicks(BenchTarget t) throws IOException {
        return t.isPopbridge() ? ProcessCounters.cpuTicks(t.pid()) : 0;
    }

    private static long jitTicks(BenchTarget t) throws IOException {
        return t.isPopbridge() ? ProcessCounters.jitTicks(t.pid()) : 0;
    }

    private long dovecotTicks() throws IOException {
        return dovecotPid > 0 ? ProcessCounters.reapedChildrenTicks(dovecotPid) : 0;
    }

    /** All logins of all rounds together at percentile P, with the per-round values of KEY as the range. */
    private String pooled(String perRoundKey, BenchTarget t, double p) {
        if (t == null) {
            return "–";
        }
        List<Double> all = figures.values("login.ms", t.name());
        return all.isEmpty() ? "–"
                : RoundFigures.withRange("%,.1f", RoundFigures.percentile(all, p),
                        figures.values(perRoundKey, t.name()));
    }

    private String markdown() {
        BenchTarget imap = imap();
        StringBuilder md = new StringBuilder();
        md.append("- mailbox ").append(notes.getOrDefault("mailbox", "?")).append('\n');
        for (BenchTarget t : targets.subList(1, targets.size())) {
            md.append("- check, `").append(t.name()).append("` against `").append(direct().name()).append("`: ")
                    .append(notes.getOrDefault("check." + t.name(), "not done")).append('\n');
        }
        if (imap == null) {
            md.append("- `imap-backed`: not measured (popbridge with the IMAP upstream did not start)\n");
        }
        md.append('\n');
        md.append("Logins: ").append(logins)
                .append(" per target per round after the round's first, median and p90 of all ")
                .append(logins * rounds).append(" together, per-round values in small print. Other rates: medians of ")
                .append(rounds).append(" rounds (the order reversed every other round), slowest–fastest round"
                        + " in small print. Ratios are the median of the per-round ratios (both measured back to"
                        + " back in each round), range in small print. CPU in 10 ms ticks.\n\n");
        md.append("| measurement | Dovecot POP3, direct | popbridge → POP3 | popbridge → IMAP | IMAP ÷ POP3 relay"
                + " | POP3 relay ÷ direct |\n|---|---:|---:|---:|---:|---:|\n");
        String n = String.format("%,d", messages);
        row(md, "first login of the run, popbridge fresh from start (ms)", "login.cold.ms", "%,.1f");
        row(md, "first login of each round (ms)", "login.first.ms", "%,.1f");
        md.append("| login, median (ms) | ").append(pooled("login.p50.ms", direct(), 50)).append(" | ")
                .append(pooled("login.p50.ms", relay(), 50)).append(" | ").append(pooled("login.p50.ms", imap, 50))
                .append(" | ").append(ratio("login.p50.ms", relay(), imap)).append(" | ")
                .append(ratio("login.p50.ms", direct(), relay())).append(" |\n");
        md.append("| login, p90 (ms) | ").append(pooled("login.p90.ms", direct(), 90)).append(" | ")
                .append(pooled("login.p90.ms", relay(), 90)).append(" | ").append(pooled("login.p90.ms", imap, 90))
                .append(" | ").append(ratio("login.p90.ms", relay(), imap)).append(" | ")
                .append(ratio("login.p90.ms", direct(), relay())).append(" |\n");
        row(md, "popbridge CPU per login (ms, mean)", "login.cpu_ms", "%,.1f");
        row(md, "Dovecot mail-process CPU per login (ms, mean)", "login.dovecot_cpu_ms", "%,.1f");
        row(md, "RETR all " + n + " messages, one session (MB/s)", "retr.mbps", "%,.1f");
        row(md, "RETR all " + n + " messages, one session (messages/s)", "retr.msgps", "%,.0f");
        row(md, "RETR all " + n + " messages, one session (s)", "retr.s", "%,.2f");
        row(md, "popbridge CPU per message, RETR (µs)", "retr.cpu_us_per_msg", "%,.0f");
        row(md, "Dovecot mail-process CPU, RETR of the mailbox (s)", "retr.dovecot_cpu_s", "%,.2f");
        row(md, "popbridge JIT compiler CPU during the measured rounds (s)", "jit_s", "%.2f", false);
        row(md, "popbridge RSS after each RETR pass (MB)", "rss_mb", "%,.0f", false);
        row(md, "popbridge peak RSS, whole run (VmHWM, MB)", "hwm_mb", "%,.0f", false);
        md.append('\n');
        long failedRetr = figures.sumOf(".failed");
        md.append("Failed RETR sessions over the run: ").append(failedRetr).append("; problems: ")
                .append(failures.size()).append(".\n");
        synchronized (failures) {
            failures.stream().limit(8).forEach(f -> md.append("- ").append(f).append('\n'));
        }
        return md.toString();
    }

    private String ratio(String key, BenchTarget a, BenchTarget b) {
        return a == null || b == null ? "" : figures.medianOfRatios(key, a.name(), b.name());
    }

    private void row(StringBuilder md, String label, String key, String format) {
        row(md, label, key, format, true);
    }

    private void row(StringBuilder md, String label, String key, String format, boolean withRatio) {
        BenchTarget imap = imap();
        md.append("| ").append(label).append(" | ").append(figures.cell(key, direct().name(), format))
                .append(" | ").append(figures.cell(key, relay().name(), format)).append(" | ")
                .append(imap == null ? "–" : figures.cell(key, imap.name(), format)).append(" | ")
                .append(withRatio ? ratio(key, relay(), imap) : "").append(" | ")
                .append(withRatio ? ratio(key, direct(), relay()) : "").append(" |\n");
    }
}
