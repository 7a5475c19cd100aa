package org.popbridge.bench;

import java.io.IOException;
import java.util.Locale;

/**
 * The run against issue 15's targets for the plain relay, in one table at the top of the
 * report: each target, the figure this run measured (the tables below have the details) and
 * whether it is met. Only the plain pair (direct-plain, proxy-plain), the many-sessions phase
 * (proxy-many) and the cold start (proxy-cold without an AppCDS archive) count.
 */
final class TargetSummary {

    private static final String DIRECT = "direct-plain";
    private static final String PROXY = "proxy-plain";
    private static final long HEAP_LIMIT_KB = 256 * 1024;

    private final MarkdownReport report;
    private final ColdStartTable cold;

    TargetSummary(MarkdownReport report, ColdStartTable cold) {
        this.report = report;
        this.cold = cold;
    }

    void render(StringBuilder md) throws IOException {
        if (report.value(DIRECT, "retr4k.s1.msgps") == null && report.value("proxy-many", "many.sessions") == null) {
            return;
        }
        int p = report.parallelSessions();
        md.append("#### Issue 15's targets: plain POP3 on both legs, direct Dovecot = 1.00\n\n");
        md.append("| target | goal | this run | met |\n|---|---|---:|---|\n");
        ratioRow(md, "RETR 10 MB messages, 1 session", "retr10m.s1.mbps", 0.95);
        ratioRow(md, "RETR 10 MB messages, " + p + " sessions at once", "retr10m.s" + p + ".mbps", 0.95);
        ratioRow(md, "RETR 4 KB messages, 1 session", "retr4k.s1.msgps", 0.9);
        ratioRow(md, "RETR 4 KB messages, " + p + " sessions at once", "retr4k.s" + p + ".msgps", 0.9);
        addedRow(md, "NOOP round trip, added by popbridge, median", "noop.p50_us", 20);
        addedRow(md, "NOOP round trip, added by popbridge, p99", "noop.p99_us", 100);
        manyRows(md);
        coldRow(md);
        md.append('\n');
    }

    private void ratioRow(StringBuilder md, String label, String metric, double goal) {
        double r = report.ratioValue(DIRECT, PROXY, metric);
        row(md, label, String.format(Locale.ROOT, "≥ %.2f×", goal),
                Double.isNaN(r) ? "–" : String.format(Locale.ROOT, "%.2f×", r), met(r, r >= goal));
    }

    private static String met(double value, boolean met) {
        return Double.isNaN(value) ? "–" : met ? "yes" : "**no**";
    }

    private void addedRow(StringBuilder md, String label, String metric, double goalMicros) {
        String d = report.value(DIRECT, metric);
        String x = report.value(PROXY, metric);
        if (d == null || x == null) {
            row(md, label, "≤ " + (long) goalMicros + " µs", "–", "–");
            return;
        }
        double added = Double.parseDouble(x) - Double.parseDouble(d);
        row(md, label, "≤ " + (long) goalMicros + " µs",
                String.format(Locale.ROOT, "%+.0f µs (%.0f → %.0f)", added, Double.parseDouble(d), Double.parseDouble(x)),
                met(added, added <= goalMicros));
    }

    private void manyRows(StringBuilder md) throws IOException {
        String sessions = report.value("proxy-many", "many.sessions");
        if (sessions == null) {
            return;
        }
        String n = MarkdownReport.number(sessions, 0);
        String failures = report.value("proxy-many", "many.failures");
        String open = report.value("proxy-many", "many.open_at_once");
        boolean all = failures != null && failures.equals("0") && open != null && open.equals(sessions);
        boolean fewer = Long.parseLong(sessions) < 10_000;
        row(md, n + " sessions at once through popbridge: failed", "0 (10,000 sessions)",
                MarkdownReport.orDash(failures) + " (" + MarkdownReport.number(open, 0) + " logged in at once)",
                failures == null ? "–" : !all ? "**no**" : fewer ? "only " + n + " sessions measured" : "yes");
        long[] peak = report.manyPeakHeap();
        long live = report.manyLiveHeap();
        row(md, n + " sessions: popbridge heap, peak used (sampled) / live after a full GC", "≤ 256 MB",
                MarkdownReport.mb(peak[0]) + " / " + MarkdownReport.mb(live),
                peak[0] < 0 ? "–" : !all || peak[0] > HEAP_LIMIT_KB ? "**no**"
                        : fewer ? "only " + n + " sessions measured" : "yes");
    }

    private void coldRow(StringBuilder md) {
        double r = cold.medianRatio(ColdStartTable.DEFAULT_VARIANT);
        row(md, "cold start: the first 200 RETR of 4 KB after popbridge starts (median of " + cold.repetitions(
                ColdStartTable.DEFAULT_VARIANT) + " starts)", "≥ 0.60×",
                Double.isNaN(r) ? "–" : String.format(Locale.ROOT, "%.2f×", r), met(r, r >= 0.6));
    }

    private static void row(StringBuilder md, String label, String goal, String measured, String met) {
        md.append("| ").append(label).append(" | ").append(goal).append(" | ").append(measured).append(" | ")
                .append(met).append(" |\n");
    }
}
