package org.popbridge.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Markdown tables of one run, from the raw files bench/run.sh and the client left in
 * the output directory: results.tsv, events.tsv and cold.tsv (client), snapshots.tsv, rss.tsv,
 * jstat-TARGET.txt and vmstart-TARGET (run.sh's samples of each popbridge process).
 */
final class MarkdownReport {

    /** A table row: METRIC of both sides, and their ratio, or (ADDED) what popbridge adds to it. */
    private record Row(String label, String metric, int decimals, boolean ratio, boolean added) {

        Row(String label, String metric, int decimals, boolean ratio) {
            this(label, metric, decimals, ratio, false);
        }
    }

    private final Path dir;
    private final String heap;
    private final String cdsNote;
    private final Map<String, Map<String, String>> results;
    private final List<String[]> events;

    /**
     * @param heap popbridge's heap option, for the memory tables' titles
     * @param cdsNote how the AppCDS archive of the cold-start table was made, or "" (none)
     */
    MarkdownReport(Path dir, String heap, String cdsNote) throws IOException {
        this.dir = dir;
        this.heap = heap;
        this.cdsNote = cdsNote;
        this.results = ResultLog.read(dir);
        this.events = ResultLog.readEvents(dir);
    }

    String render() throws IOException {
        StringBuilder md = new StringBuilder();
        String rounds = orDash(value("run", "rounds"));
        String trips = value("direct-tls", "latency.round_trips");
        md.append("Rates are the median of ").append(rounds).append(" rounds with the slowest–fastest round in small"
                + " print; rounds alternate whether direct or popbridge goes first. Latencies are percentiles of all ")
                .append(trips == null ? "" : String.format(Locale.ROOT, "%,d ", Long.parseLong(trips)))
                .append("round trips of each command together, with the range of the per-round values in small"
                + " print. The many-sessions run happens once per side; its per-session times include queueing"
                + " wherever the work waits, and with direct TLS the client's own handshakes (on the same two"
                + " cores) pace its connection attempts, so compare wall times there.\n\n");
        ColdStartTable cold = new ColdStartTable(dir, cdsNote);
        new TargetSummary(this, cold).render(md);
        pair(md, "One TLS leg on the path", "direct-tls", "proxy-tls",
                "client ⇄ Dovecot POP3S (TLS)",
                "client ⇄ popbridge pop3:// (plain) ⇄ Dovecot POP3S (TLS, done by popbridge)");
        pair(md, "Plain POP3 on both legs", "direct-plain", "proxy-plain",
                "client ⇄ Dovecot POP3 (plain)",
                "client ⇄ popbridge pop3:// (plain) ⇄ Dovecot POP3 (plain)");
        many(md);
        cold.render(md);
        memory(md);
        cpu(md);
        return md.toString();
    }

    String value(String target, String metric) {
        return results.getOrDefault(target, Map.of()).get(metric);
    }

    int parallelSessions() {
        for (Map<String, String> metrics : results.values()) {
            for (String key : metrics.keySet()) {
                Matcher m = Pattern.compile("retr\\w+\\.s(\\d+)\\.mbps").matcher(key);
                if (m.matches() && Integer.parseInt(m.group(1)) > 1) {
                    return Integer.parseInt(m.group(1));
                }
            }
        }
        return 4;
    }

    private String sessionsLabel() {
        String n = value("direct-tls", "crowd.sessions");
        return n == null ? "1,000" : String.format(Locale.ROOT, "%,d", Long.parseLong(n));
    }

    private void pair(StringBuilder md, String title, String direct, String proxy, String directPath,
            String proxyPath) {
        if (!results.containsKey(direct) && !results.containsKey(proxy)) {
            return;
        }
        int p = parallelSessions();
        String sessions = value(direct, "crowd.sessions") != null ? value(direct, "crowd.sessions") : "1000";
        String n = String.format(Locale.ROOT, "%,d", Integer.parseInt(sessions));
        List<Row> rows = List.of(
                new Row("RETR 10 MB messages, 1 session (MB/s)", "retr10m.s1.mbps", 0, true),
                new Row("RETR 10 MB messages, " + p + " sessions at once (MB/s, total)", "retr10m.s" + p + ".mbps", 0, true),
                new Row("RETR 4 KB messages, 1 session (messages/s)", "retr4k.s1.msgps", 0, true),
                new Row("RETR 4 KB messages, " + p + " sessions at once (messages/s, total)", "retr4k.s" + p + ".msgps", 0, true),
                new Row("NOOP round trip, median (µs)", "noop.p50_us", 0, true),
                new Row("NOOP round trip, p99 (µs)", "noop.p99_us", 0, true),
                new Row("NOOP round trip, added by popbridge, median (µs)", "noop.p50_us", 0, false, true),
                new Row("NOOP round trip, added by popbridge, p99 (µs)", "noop.p99_us", 0, false, true),
                new Row("STAT round trip, median (µs)", "stat.p50_us", 0, true),
                new Row("STAT round trip, p99 (µs)", "stat.p99_us", 0, true),
                new Row(n + " sessions: failed", "crowd.failures", 0, false),
                new Row(n + " sessions: logged in at the same time", "crowd.open_at_once", 0, false),
                new Row(n + " sessions: wall time (s), login phase + work phase", "crowd.wall_s", 2, true),
                new Row(n + " sessions: login phase (s), all connect + greeting + USER/PASS", "crowd.login_phase_s", 2, true),
                new Row(n + " sessions: work phase (s), all STAT + UIDL + RETR + QUIT", "crowd.work_phase_s", 2, true),
                new Row("per session connect + login, median (ms)", "crowd.login.p50_ms", 1, true),
                new Row("per session connect + login, p99 (ms)", "crowd.login.p99_ms", 1, true),
                new Row("per session STAT + UIDL + RETR + QUIT, median (ms)", "crowd.work.p50_ms", 1, true),
                new Row("per session STAT + UIDL + RETR + QUIT, p99 (ms)", "crowd.work.p99_ms", 1, true));
        md.append("#### ").append(title).append("\n\n");
        md.append("- direct (`").append(direct).append("`, ").append(endpointOf(direct)).append("): ")
                .append(directPath).append("; client transport ").append(orDash(value(direct, "client.transport")))
                .append("\n");
        md.append("- popbridge (`").append(proxy).append("`, ").append(endpointOf(proxy)).append("): ")
                .append(proxyPath).append("\n\n");
        md.append("| measurement | direct | through popbridge | popbridge ÷ direct |\n");
        md.append("|---|---:|---:|---:|\n");
        for (Row row : rows) {
            String d = value(direct, row.metric());
            String x = value(proxy, row.metric());
            if (d == null && x == null) {
                continue;
            }
            if (row.added()) {
                md.append("| ").append(row.label()).append(" | | ").append(added(direct, proxy, row.metric()))
                        .append(" | |\n");
                continue;
            }
            md.append("| ").append(row.label()).append(" | ").append(cell(direct, row)).append(" | ")
                    .append(cell(proxy, row)).append(" | ")
                    .append(row.ratio() ? ratio(d, x) : "").append(" |\n");
        }
        md.append('\n');
        failures(md, direct);
        failures(md, proxy);
    }

    /**
     * What popbridge adds to a latency: PROXY's METRIC minus DIRECT's (percentiles of all round
     * trips), with the smallest and largest per-round difference in small print.
     */
    String added(String direct, String proxy, String metric) {
        String d = value(direct, metric);
        String x = value(proxy, metric);
        if (d == null || x == null) {
            return "–";
        }
        String text = String.format(Locale.ROOT, "%+,.0f", Double.parseDouble(x) - Double.parseDouble(d));
        String dr = value(direct, metric + ".rounds");
        String xr = value(proxy, metric + ".rounds");
        if (dr == null || xr == null) {
            return text;
        }
        String[] a = dr.split(",");
        String[] b = xr.split(",");
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            double diff = Double.parseDouble(b[i]) - Double.parseDouble(a[i]);
            min = Math.min(min, diff);
            max = Math.max(max, diff);
        }
        return min > max ? text : text + String.format(Locale.ROOT, " <sub>(%+,.0f to %+,.0f)</sub>", min, max);
    }

    /** Ratio PROXY ÷ DIRECT of METRIC's medians, as a number, or NaN. */
    double ratioValue(String direct, String proxy, String metric) {
        try {
            double d = Double.parseDouble(value(direct, metric));
            double x = Double.parseDouble(value(proxy, metric));
            return d == 0 ? Double.NaN : x / d;
        } catch (NumberFormatException | NullPointerException e) {
            return Double.NaN;
        }
    }

    // --- many sessions ----------------------------------------------------------------------

    /** The many-sessions phase (10,000 at once): direct-many against proxy-many, and proxy-many's memory. */
    private void many(StringBuilder md) throws IOException {
        String direct = "direct-many";
        String proxy = "proxy-many";
        if (!results.containsKey(direct) && !results.containsKey(proxy)) {
            return;
        }
        String n = number(value("run", "many.sessions"), 0);
        String inFlight = number(value("run", "many.in_flight"), 0);
        md.append("#### ").append(n).append(" sessions at once, plain POP3 on both legs\n\n");
        md.append("- direct (`").append(direct).append("`, ").append(endpointOf(direct))
                .append("): client ⇄ Dovecot POP3 on its own port, whose pop3 processes serve 50 sessions each\n");
        md.append("- popbridge (`").append(proxy).append("`, ").append(endpointOf(proxy))
                .append("): client ⇄ popbridge pop3:// (plain) ⇄ that Dovecot port (plain)\n");
        md.append("- each session logs in to its own mailbox; at most ").append(inFlight)
                .append(" connect and log in at the same time, and all of them are logged in together before"
                + " any goes on (STAT, UIDL, RETR of one 4 KB message, QUIT)\n\n");
        md.append("| measurement | direct | through popbridge | popbridge ÷ direct |\n");
        md.append("|---|---:|---:|---:|\n");
        List<Row> rows = List.of(
                new Row("failed", "many.failures", 0, false),
                new Row("logged in at the same time", "many.open_at_once", 0, false),
                new Row("wall time (s), login phase + work phase", "many.wall_s", 2, true),
                new Row("login phase (s), all connect + greeting + USER/PASS", "many.login_phase_s", 2, true),
                new Row("work phase (s), all STAT + UIDL + RETR + QUIT", "many.work_phase_s", 2, true),
                new Row("per session connect + login, median (ms)", "many.login.p50_ms", 1, true),
                new Row("per session connect + login, p99 (ms)", "many.login.p99_ms", 1, true),
                new Row("per session STAT + UIDL + RETR + QUIT, median (ms)", "many.work.p50_ms", 1, true),
                new Row("per session STAT + UIDL + RETR + QUIT, p99 (ms)", "many.work.p99_ms", 1, true));
        for (Row row : rows) {
            md.append("| ").append(row.label()).append(" | ").append(cell(direct, row)).append(" | ")
                    .append(cell(proxy, row)).append(" | ")
                    .append(row.ratio() ? ratio(value(direct, row.metric()), value(proxy, row.metric())) : "")
                    .append(" |\n");
        }
        md.append('\n');
        failures(md, direct);
        failures(md, proxy);
        Map<String, Long> snap = snapshots();
        if (!snap.containsKey(proxy + "/idle/rss_kb")) {
            return;
        }
        long[] peak = manyPeakHeap();
        md.append("popbridge `").append(proxy).append("`").append(heap.isEmpty() ? "" : " (`" + heap + "`)")
                .append(", measured as in the memory table below:\n\n");
        md.append("| popbridge `").append(proxy).append("` | RSS | heap |\n|---|---:|---:|\n");
        md.append("| idle, after start | ").append(rssCell(snap, proxy, "idle")).append(" | ")
                .append(heapCell(snap, proxy, "idle")).append(" |\n");
        md.append("| ").append(number(value(proxy, "many.open_at_once"), 0))
                .append(" sessions logged in at once (client paused) | ").append(rssCell(snap, proxy, "hold"))
                .append(" | ").append(heapCell(snap, proxy, "hold")).append(" |\n");
        long[] w = window(proxy, "many");
        md.append("| peak during the session phase (sampled) | ")
                .append(w == null ? "–" : mb(maxRss(proxy, w[0], w[1]))).append(" | used ").append(mb(peak[0]))
                .append(", committed ").append(mb(peak[1])).append(" |\n");
        md.append("| after the run (sessions closed) | ").append(rssCell(snap, proxy, "after")).append(" | ")
                .append(heapCell(snap, proxy, "after")).append(" |\n");
        md.append("| garbage collections over the run | | ").append(gcCell(proxy)).append(" |\n\n");
    }

    /** proxy-many's largest heap used and committed (kB) in its many-sessions window, or -1s. */
    long[] manyPeakHeap() throws IOException {
        long[] w = window("proxy-many", "many");
        return w == null ? new long[] {-1, -1} : maxHeap("proxy-many", w[0], w[1]);
    }

    /** proxy-many's live heap (kB) after the full GC with all its sessions logged in, or -1. */
    long manyLiveHeap() throws IOException {
        return snapshots().getOrDefault("proxy-many/hold/live_heap_kb", -1L);
    }

    /** The figure, and the slowest to fastest round when there were several. */
    private String cell(String target, Row row) {
        String v = number(value(target, row.metric()), row.decimals());
        String min = value(target, row.metric() + ".min");
        String max = value(target, row.metric() + ".max");
        if (min == null || max == null || min.equals(max)) {
            return v;
        }
        return v + " <sub>(" + number(min, row.decimals()) + "–" + number(max, row.decimals()) + ")</sub>";
    }

    private String endpointOf(String target) {
        return orDash(value(target, "endpoint"));
    }

    private void failures(StringBuilder md, String target) {
        Map<String, String> metrics = results.getOrDefault(target, Map.of());
        for (Map.Entry<String, String> e : metrics.entrySet()) {
            if (e.getKey().endsWith("failures") && !e.getValue().equals("0")) {
                String phase = e.getKey().substring(0, e.getKey().length() - "failures".length());
                String detail = metrics.getOrDefault(phase + "first_failure", metrics.get(phase + "failure_kinds"));
                md.append("- **").append(target).append(' ').append(phase).append("**: ").append(e.getValue())
                        .append(" failed: `").append(orDash(detail)).append("`\n");
            }
        }
    }

    static String orDash(String s) {
        return s == null || s.isEmpty() ? "–" : s;
    }

    static String number(String s, int decimals) {
        if (s == null) {
            return "–";
        }
        try {
            return String.format(Locale.ROOT, "%,." + decimals + "f", Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return s;
        }
    }

    private static String ratio(String direct, String proxy) {
        try {
            double d = Double.parseDouble(direct);
            double x = Double.parseDouble(proxy);
            return d == 0 ? "–" : String.format(Locale.ROOT, "%.2f×", x / d);
        } catch (NumberFormatException | NullPointerException e) {
            return "–";
        }
    }

    // --- CPU ------------------------------------------------------------------------------

    /** Column COLUMN (3: CPU ticks, 4: write syscalls, 5: octets written) of TARGET's last sample at or before EPOCH-MS, or -1. */
    private long counterAt(List<String[]> samples, String target, long epochMs, int column) {
        long value = -1;
        for (String[] p : samples) {
            if (p[1].equals(target) && Long.parseLong(p[0]) <= epochMs && p.length > column) {
                value = Long.parseLong(p[column]);
            }
        }
        return value;
    }

    private void cpu(StringBuilder md) throws IOException {
        Path file = dir.resolve("rss.tsv");
        if (!Files.exists(file)) {
            return;
        }
        List<String[]> samples = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .map(line -> line.split("\t"))
                .filter(p -> p.length >= 4 && p[3].matches("\\d+"))
                .toList();
        List<String> proxies = List.of("proxy-tls", "proxy-plain").stream()
                .filter(t -> samples.stream().anyMatch(p -> p[1].equals(t))).toList();
        if (proxies.isEmpty()) {
            return;
        }
        int p = parallelSessions();
        List<String[]> phases = List.of(
                new String[] {"latency", "NOOP/STAT round trips"},
                new String[] {"retr4k.s1", "RETR 4 KB, 1 session"},
                new String[] {"retr4k.s" + p, "RETR 4 KB, " + p + " sessions"},
                new String[] {"retr10m.s1", "RETR 10 MB, 1 session"},
                new String[] {"retr10m.s" + p, "RETR 10 MB, " + p + " sessions"},
                new String[] {"crowd", sessionsLabel() + " sessions at once (includes the snapshot's forced GC)"});
        md.append("#### popbridge CPU time per phase\n\n");
        md.append("CPU seconds (user + system, from /proc/PID/stat sampled every 200 ms, so short phases are"
                + " coarse), all rounds together, and as a share of the phase's wall time (100% = one of the"
                + " two cores). For 10 MB RETR also CPU seconds per GB relayed. (No count of write calls: netty's"
                + " epoll transport sends a single buffer with send(2), which /proc/PID/io does not count.)\n\n");
        StringBuilder head = new StringBuilder("| phase |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String t : proxies) {
            head.append(' ').append(t.equals("proxy-tls") ? "upstream pop3s" : "upstream pop3").append(" |");
            rule.append("---:|");
        }
        md.append(head).append('\n').append(rule).append('\n');
        for (String[] phase : phases) {
            StringBuilder line = new StringBuilder("| " + phase[1] + " |");
            boolean any = false;
            for (String t : proxies) {
                List<long[]> ws = windows(t, phase[0]);
                long ticks = 0;
                long millis = 0;
                boolean complete = !ws.isEmpty();
                for (long[] w : ws) {
                    long from = counterAt(samples, t, w[0], 3);
                    long to = counterAt(samples, t, w[1] + 250, 3);
                    complete &= from >= 0 && to >= 0;
                    ticks += to - from;
                    millis += w[1] - w[0];
                }
                if (!complete) {
                    line.append(" – |");
                    continue;
                }
                any = true;
                double cpu = ticks / 100.0;
                double wall = Math.max(0.001, millis / 1000.0);
                line.append(String.format(Locale.ROOT, " %.2f s (%.0f%%)", cpu, 100 * cpu / wall));
                String octets = value(t, phase[0] + ".octets");
                if (octets != null && phase[0].startsWith("retr10m")) {
                    line.append(String.format(Locale.ROOT, ", %.1f s/GB", cpu / (Long.parseLong(octets) / 1e9)));
                }
                line.append(" |");
            }
            if (any) {
                md.append(line).append('\n');
            }
        }
        md.append('\n');
    }

    // --- memory ---------------------------------------------------------------------------

    /** snapshots.tsv: TARGET, LABEL, KEY, VALUE-KB. */
    private Map<String, Long> snapshots() throws IOException {
        Map<String, Long> all = new HashMap<>();
        Path file = dir.resolve("snapshots.tsv");
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] p = line.split("\t");
                if (p.length == 4 && p[3].matches("\\d+")) {
                    all.put(p[0] + "/" + p[1] + "/" + p[2], Long.parseLong(p[3]));
                }
            }
        }
        return all;
    }

    /** The last [begin, end] epoch-ms window of PHASE on TARGET, or null. */
    private long[] window(String target, String phase) {
        List<long[]> all = windows(target, phase);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** Every [begin, end] epoch-ms window of PHASE on TARGET (one per round). */
    private List<long[]> windows(String target, String phase) {
        List<long[]> all = new java.util.ArrayList<>();
        long begin = -1;
        for (String[] e : events) {
            if (e[1].equals(target) && e[2].equals(phase)) {
                if (e[3].equals("begin")) {
                    begin = Long.parseLong(e[0]);
                } else if (begin >= 0) {
                    all.add(new long[] {begin, Long.parseLong(e[0])});
                    begin = -1;
                }
            }
        }
        return all;
    }

    /** Largest RSS sample (kB) in [from, to] epoch ms; to &lt; 0 means the whole run. */
    private long maxRss(String target, long from, long to) throws IOException {
        long max = -1;
        Path file = dir.resolve("rss.tsv");
        if (!Files.exists(file)) {
            return max;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] p = line.split("\t");
            if (p.length >= 3 && p[1].equals(target) && p[2].matches("\\d+")) {
                long t = Long.parseLong(p[0]);
                if (to < 0 || (t >= from && t <= to)) {
                    max = Math.max(max, Long.parseLong(p[2]));
                }
            }
        }
        return max;
    }

    /** Largest heap used and committed (kB) from jstat -gc -t in [from, to] epoch ms; to &lt; 0: all. */
    private long[] maxHeap(String target, long from, long to) throws IOException {
        Path file = dir.resolve("jstat-" + target + ".txt");
        Path start = dir.resolve("vmstart-" + target);
        long[] max = {-1, -1};
        if (!Files.exists(file) || !Files.exists(start)) {
            return max;
        }
        long vmStart = Long.parseLong(Files.readString(start).trim());
        String[] header = null;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length > 0 && cols[0].equals("Timestamp")) {
                header = cols;
                continue;
            }
            if (header == null || cols.length != header.length) {
                continue;
            }
            Map<String, Double> row = new HashMap<>();
            try {
                for (int i = 0; i < cols.length; i++) {
                    row.put(header[i], Double.parseDouble(cols[i]));
                }
            } catch (NumberFormatException e) {
                continue;
            }
            long t = vmStart + (long) (row.get("Timestamp") * 1000);
            if (to >= 0 && (t < from || t > to)) {
                continue;
            }
            double used = row.get("S0U") + row.get("S1U") + row.get("EU") + row.get("OU");
            double committed = row.get("S0C") + row.get("S1C") + row.get("EC") + row.get("OC");
            max[0] = Math.max(max[0], (long) used);
            max[1] = Math.max(max[1], (long) committed);
        }
        return max;
    }

    static String mb(long kb) {
        return kb < 0 ? "–" : String.format(Locale.ROOT, "%.0f MB", kb / 1024.0);
    }

    private void memory(StringBuilder md) throws IOException {
        Map<String, Long> snap = snapshots();
        List<String> proxies = List.of("proxy-tls", "proxy-plain").stream()
                .filter(t -> snap.containsKey(t + "/idle/rss_kb")).toList();
        if (proxies.isEmpty()) {
            return;
        }
        md.append("#### popbridge memory").append(heap.isEmpty() ? "" : " (`" + heap + "`)").append("\n\n");
        md.append("RSS is VmRSS from /proc (VmHWM for the run's peak), then again after a forced full GC"
                + " (`jcmd GC.run`; G1 then gives unused heap back); heap is `jcmd GC.heap_info` \"used\""
                + " (live = after that full GC); peaks between snapshots come from"
                + " samples every 200 ms (RSS) and 250 ms (`jstat -gc`).\n\n");
        StringBuilder head = new StringBuilder("| popbridge |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String t : proxies) {
            String up = t.equals("proxy-tls") ? "upstream pop3s" : "upstream pop3";
            head.append(" ").append(up).append(": RSS | ").append(up).append(": heap |");
            rule.append("---:|---:|");
        }
        md.append(head).append('\n').append(rule).append('\n');
        String n = value("proxy-tls", "crowd.open_at_once");
        row(md, proxies, "idle, after start", t -> new String[] {rssCell(snap, t, "idle"), heapCell(snap, t, "idle")});
        row(md, proxies, (n == null ? "all" : n) + " sessions logged in at once (client paused)",
                t -> new String[] {rssCell(snap, t, "hold"), heapCell(snap, t, "hold")});
        row(md, proxies, "peak during the " + (n == null ? "" : n + "-") + "session phase (sampled)", t -> {
            long[] w = window(t, "crowd");
            if (w == null) {
                return new String[] {"–", "–"};
            }
            long[] h = maxHeap(t, w[0], w[1]);
            return new String[] {mb(maxRss(t, w[0], w[1])), "used " + mb(h[0])};
        });
        row(md, proxies, "peak over the whole run (VmHWM; sampled heap)", t -> {
            long[] h = maxHeap(t, 0, -1);
            long hwm = snap.getOrDefault(t + "/after/hwm_kb", -1L);
            return new String[] {mb(hwm < 0 ? maxRss(t, 0, -1) : hwm),
                    "used " + mb(h[0]) + ", committed " + mb(h[1])};
        });
        row(md, proxies, "after the run (sessions closed)",
                t -> new String[] {rssCell(snap, t, "after"), heapCell(snap, t, "after")});
        row(md, proxies, "garbage collections over the run", t -> new String[] {"", gcCell(t)});
        md.append('\n');
    }

    /** Young and full collections from the last jstat sample (full ones are the snapshots' GC.run). */
    private String gcCell(String target) throws IOException {
        Path file = dir.resolve("jstat-" + target + ".txt");
        if (!Files.exists(file)) {
            return "–";
        }
        String[] header = null;
        String[] last = null;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] cols = line.trim().split("\\s+");
            if (cols[0].equals("Timestamp")) {
                header = cols;
            } else if (header != null && cols.length == header.length) {
                last = cols;
            }
        }
        if (last == null) {
            return "–";
        }
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            row.put(header[i], last[i]);
        }
        return row.get("YGC") + " young (" + row.get("YGCT") + " s), " + row.get("FGC") + " full (forced, "
                + row.get("FGCT") + " s)";
    }

    private static String rssCell(Map<String, Long> snap, String target, String label) {
        return mb(snap.getOrDefault(target + "/" + label + "/rss_kb", -1L))
                + " (" + mb(snap.getOrDefault(target + "/" + label + "/rss_after_gc_kb", -1L)) + " after GC)";
    }

    private static String heapCell(Map<String, Long> snap, String target, String label) {
        return "used " + mb(snap.getOrDefault(target + "/" + label + "/heap_used_kb", -1L))
                + " (live " + mb(snap.getOrDefault(target + "/" + label + "/live_heap_kb", -1L)) + ")";
    }

    private interface Cells {
        String[] of(String target) throws IOException;
    }

    private static void row(StringBuilder md, List<String> proxies, String label, Cells cells) throws IOException {
        md.append("| ").append(label).append(" |");
        for (String t : proxies) {
            for (String cell : cells.of(t)) {
                md.append(' ').append(cell).append(" |");
            }
        }
        md.append('\n');
    }
}
