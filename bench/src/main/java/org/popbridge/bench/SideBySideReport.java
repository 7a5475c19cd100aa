package org.popbridge.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Markdown tables of a {@code run --sides} run (bench/run-nginx.sh), from its results.tsv:
 * every side's rates and latencies next to the first side's (direct Dovecot), each later side
 * as a ratio to it, against issue 15's goals; then the CPU time each proxy's own processes
 * spent per message, per GB and per command.
 */
final class SideBySideReport {

    /** A rate row: METRIC (msg/s or MB/s) and issue 15's least ratio to direct. */
    private record RateRow(String label, String metric, double goal) {
    }

    /** A CPU row: PHASE's CPU per unit (µs per message or command), or per GB when PER-GB. */
    private record CpuRow(String label, String phase, boolean perGb) {
    }

    private final Map<String, Map<String, String>> results;
    private final List<String> sides;
    private final RoundFigures rounds = new RoundFigures();

    SideBySideReport(Path dir) throws IOException {
        results = ResultLog.read(dir);
        String names = value("run", "sides");
        if (names == null) {
            throw new IllegalStateException(dir + "/results.tsv has no sides: not a run --sides");
        }
        sides = List.of(names.split(","));
        // Each figure's per-round values (written by Rounds as METRIC.rounds), for the ratio ranges.
        for (String side : sides) {
            results.getOrDefault(side, Map.of()).forEach((metric, text) -> {
                if (metric.endsWith(".rounds") && !text.isEmpty()) {
                    String key = metric.substring(0, metric.length() - ".rounds".length());
                    for (String v : text.split(",")) {
                        rounds.add(key, side, Double.parseDouble(v));
                    }
                }
            });
        }
    }

    String render() {
        String direct = sides.get(0);
        List<String> proxies = sides.subList(1, sides.size());
        int p = parallel();
        StringBuilder md = new StringBuilder();
        md.append("Rates are the median of ").append(orDash(value("run", "rounds")))
                .append(" rounds, slowest–fastest round in small print; each round rotates the order of the ")
                .append(sides.size()).append(" sides, so each goes first as often. A ratio is the median of the"
                + " per-round ratios to ").append(direct).append(" (measured back to back), range in small print."
                + " Latencies are percentiles of all round trips of each side together; \"added\" is the"
                + " difference to ").append(direct).append(", the per-round differences in small print.\n\n");
        md.append("| measurement | issue 15's goal |");
        sides.forEach(s -> md.append(' ').append(s).append(" |"));
        proxies.forEach(s -> md.append(' ').append(s).append(" ÷ ").append(direct).append(" |"));
        md.append("\n|---|---|").append("---:|".repeat(sides.size() + proxies.size())).append('\n');
        for (RateRow row : List.of(
                new RateRow("RETR 4 KB, 1 session (messages/s)", "retr4k.s1.msgps", 0.9),
                new RateRow("RETR 4 KB, " + p + " sessions at once (messages/s, total)", "retr4k.s" + p + ".msgps", 0.9),
                new RateRow("RETR 10 MB, 1 session (MB/s)", "retr10m.s1.mbps", 0.95),
                new RateRow("RETR 10 MB, " + p + " sessions at once (MB/s, total)", "retr10m.s" + p + ".mbps", 0.95))) {
            md.append("| ").append(row.label()).append(String.format(Locale.ROOT, " | ≥ %.2f× |", row.goal()));
            sides.forEach(s -> md.append(' ').append(rounds.cell(row.metric(), s, "%,.0f")).append(" |"));
            proxies.forEach(s -> md.append(' ').append(rounds.medianOfRatios(row.metric(), direct, s)).append(" |"));
            md.append('\n');
        }
        latencyRow(md, "NOOP round trip, median (µs)", "noop.p50_us", "≤ +20 µs", direct, proxies);
        latencyRow(md, "NOOP round trip, p99 (µs)", "noop.p99_us", "≤ +100 µs", direct, proxies);
        latencyRow(md, "STAT round trip, median (µs)", "stat.p50_us", "", direct, proxies);
        md.append('\n');
        cpu(md, proxies, p);
        failures(md);
        return md.toString();
    }

    /** A latency row: each side's value, then each proxy's added microseconds. */
    private void latencyRow(StringBuilder md, String label, String metric, String goal, String direct,
            List<String> proxies) {
        md.append("| ").append(label).append(" | ").append(goal).append(" |");
        for (String s : sides) {
            md.append(' ').append(orDash(format("%,.0f", number(s, metric)))).append(" |");
        }
        for (String s : proxies) {
            double added = number(s, metric) - number(direct, metric);
            List<Double> d = rounds.values(metric, direct);
            List<Double> x = rounds.values(metric, s);
            List<Double> perRound = new ArrayList<>();
            for (int i = 0; i < Math.min(d.size(), x.size()); i++) {
                perRound.add(x.get(i) - d.get(i));
            }
            md.append(' ').append(Double.isNaN(added) ? "–"
                    : String.format(Locale.ROOT, "%+,.0f µs", added) + (perRound.size() <= 1 ? "" : " <sub>("
                            + String.format(Locale.ROOT, "%+,.0f", java.util.Collections.min(perRound)) + " to "
                            + String.format(Locale.ROOT, "%+,.0f", java.util.Collections.max(perRound)) + ")</sub>"))
                    .append(" |");
        }
        md.append('\n');
    }

    private void cpu(StringBuilder md, List<String> proxies, int p) {
        boolean exact = "schedstat".equals(value("run", "cpu_clock"));
        md.append(exact
                ? "CPU time of each proxy's own processes, every thread's time on a CPU as the scheduler counts it"
                        + " (/proc/PID/task/TID/schedstat, exact), read around each phase"
                : "CPU time (user + system) of each proxy's own processes, read from /proc/PID/stat around each"
                        + " phase (clock ticks of " + Math.round(1000 / clkTck()) + " ms, so short phases are coarse)")
                .append(" and summed over the rounds, divided by what the phase moved (the per-round values in small"
                        + " print). Logins, QUIT and the latency phase's 500 unmeasured round trips fall in the"
                        + " window; the auth_http endpoint's CPU is not counted.\n\n");
        md.append("| CPU of the proxy |");
        proxies.forEach(s -> md.append(' ').append(s).append(" |"));
        md.append("\n|---|").append("---:|".repeat(proxies.size())).append('\n');
        for (CpuRow row : List.of(
                new CpuRow("per message, RETR 4 KB, 1 session (µs)", "retr4k.s1", false),
                new CpuRow("per message, RETR 4 KB, " + p + " sessions (µs)", "retr4k.s" + p, false),
                new CpuRow("per GB, RETR 10 MB, 1 session (s)", "retr10m.s1", true),
                new CpuRow("per GB, RETR 10 MB, " + p + " sessions (s)", "retr10m.s" + p, true),
                new CpuRow("per command, NOOP and STAT round trips (µs)", "latency", false))) {
            md.append("| ").append(row.label()).append(" |");
            for (String s : proxies) {
                double seconds = number(s, row.phase() + ".cpu_ns") / 1e9;
                double value = row.perGb() ? seconds / (number(s, row.phase() + ".octets") / 1e9)
                        : seconds * 1e6 / number(s, row.phase() + ".cpu_units");
                List<Double> perRound = row.perGb()
                        ? rounds.values(row.phase() + ".cpu_ms_per_gb", s).stream().map(ms -> ms / 1e3).toList()
                        : rounds.values(row.phase() + ".cpu_us_per_unit", s);
                String format = row.perGb() ? "%.2f" : "%,.0f";
                md.append(' ').append(Double.isNaN(value) || Double.isInfinite(value) ? "–"
                        : RoundFigures.withRange(format, value, perRound)).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private void failures(StringBuilder md) {
        List<String> notes = new ArrayList<>();
        for (String s : sides) {
            Map<String, String> metrics = results.getOrDefault(s, Map.of());
            long failed = 0;
            for (Map.Entry<String, String> e : metrics.entrySet()) {
                if (e.getKey().endsWith(".failures")) {
                    failed += Long.parseLong(e.getValue());
                }
            }
            if (failed > 0) {
                notes.add(s + ": " + failed + " failed sessions");
            }
            metrics.forEach((k, v) -> {
                if (k.endsWith(".first_failure")) {
                    notes.add(s + " " + k.substring(0, k.length() - ".first_failure".length()) + ": " + v);
                }
            });
            if (metrics.containsKey("cpu.lost")) {
                notes.add(s + ": CPU figures stopped, " + metrics.get("cpu.lost"));
            }
        }
        md.append(notes.isEmpty() ? "No session failed.\n" : "Problems:\n\n");
        notes.stream().limit(10).forEach(n -> md.append("- ").append(n).append('\n'));
    }

    /** The session count of the parallel RETR rows (retr4k.sN with N > 1), 4 when none. */
    private int parallel() {
        for (Map<String, String> metrics : results.values()) {
            for (String key : metrics.keySet()) {
                if (key.matches("retr4k\\.s\\d+\\.msgps") && !key.equals("retr4k.s1.msgps")) {
                    return Integer.parseInt(key.substring("retr4k.s".length(), key.indexOf(".msgps")));
                }
            }
        }
        return 4;
    }

    private double clkTck() {
        double t = number("run", "clk_tck");
        return Double.isNaN(t) || t <= 0 ? 100 : t;
    }

    private String value(String target, String metric) {
        return results.getOrDefault(target, Map.of()).get(metric);
    }

    private double number(String target, String metric) {
        String v = value(target, metric);
        try {
            return v == null ? Double.NaN : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String format(String format, double value) {
        return Double.isNaN(value) ? null : String.format(Locale.ROOT, format, value);
    }

    private static String orDash(String s) {
        return s == null ? "–" : s;
    }
}
