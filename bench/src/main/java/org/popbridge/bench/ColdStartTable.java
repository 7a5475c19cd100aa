package org.popbridge.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cold-start table: what {@link ColdStart} appended to DIR/cold.tsv, one line per fresh
 * popbridge, grouped by variant (popbridge as packaged, and with an AppCDS archive when
 * bench/run.sh ran with BENCH_CDS=1). Medians over the repetitions, with their range; a ratio is
 * the median of each repetition's own ratio (each measured direct and popbridge back to back).
 */
final class ColdStartTable {

    static final String DEFAULT_VARIANT = "default";
    static final String CDS_VARIANT = "appcds";

    /** Columns of cold.tsv, as ColdStart writes them. */
    private static final int LAUNCH = 2;
    private static final int DIRECT_LOGIN = 3;
    private static final int DIRECT_FIRST = 4;
    private static final int DIRECT_SECOND = 5;
    private static final int PROXY_LOGIN = 6;
    private static final int PROXY_FIRST = 7;
    private static final int PROXY_SECOND = 8;
    private static final int FAILURE = 9;

    private final Map<String, List<String[]>> byVariant = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private final String cdsNote;

    ColdStartTable(Path dir, String cdsNote) throws IOException {
        this.cdsNote = cdsNote;
        Path file = dir.resolve("cold.tsv");
        if (!Files.exists(file)) {
            return;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] p = line.split("\t", -1);
            if (p.length <= FAILURE || p[0].equals("variant")) {
                continue;
            }
            if (!p[FAILURE].isEmpty() || p[PROXY_FIRST].isEmpty()) {
                failures.add(p[0] + " #" + p[1] + ": " + p[FAILURE]);
                continue;
            }
            byVariant.computeIfAbsent(p[0], k -> new ArrayList<>()).add(p);
        }
    }

    int repetitions(String variant) {
        return byVariant.getOrDefault(variant, List.of()).size();
    }

    /** The median of VARIANT's per-repetition ratios of the first 200 RETRs, or NaN. */
    double medianRatio(String variant) {
        List<Double> ratios = ratios(variant, DIRECT_FIRST, PROXY_FIRST);
        return ratios.isEmpty() ? Double.NaN : RoundFigures.median(ratios);
    }

    void render(StringBuilder md) {
        List<String> variants = new ArrayList<>();
        for (String v : List.of(DEFAULT_VARIANT, CDS_VARIANT)) {
            if (byVariant.containsKey(v)) {
                variants.add(v);
            }
        }
        if (variants.isEmpty() && failures.isEmpty()) {
            return;
        }
        md.append("#### Cold start: a fresh popbridge's first sessions, plain POP3 on both legs\n\n");
        md.append("Each repetition starts a new popbridge (`proxy-cold`, the same heap and options as `proxy-plain`,"
                + " and the test certificate as `--cert`/`--key`, so no start generates one) and waits for its"
                + " \"listening on\" line; then a fresh client JVM warms itself up on Dovecot directly (20 sessions"
                + " of 200 RETRs), times two sessions directly and then the same two through popbridge, the first"
                + " that popbridge serves: connect and login, then RETR of 200 messages of 4 KB one after the"
                + " other (messages 1–200, then 201–400 in the second session); popbridge is stopped after."
                + " Medians of the repetitions, slowest–fastest in small print; a ratio is the median of each"
                + " repetition's own ratio.");
        if (variants.contains(CDS_VARIANT)) {
            md.append(" The AppCDS repetitions alternate with the others. ").append(cdsNote);
        }
        md.append("\n\n");
        StringBuilder head = new StringBuilder("| measurement | direct |");
        StringBuilder rule = new StringBuilder("|---|---:|");
        for (String v : variants) {
            head.append(' ').append(title(v)).append(" | ÷ direct |");
            rule.append("---:|---:|");
        }
        md.append(head).append('\n').append(rule).append('\n');
        String first = variants.isEmpty() ? DEFAULT_VARIANT : variants.get(0);
        line(md, variants, "launch to \"listening on\" (ms)", "", LAUNCH, -1, "%,.0f");
        // No ratio for the login: a few milliseconds directly, so the ratio says little.
        line(md, variants, "first session: connect + login (ms)", cell(first, DIRECT_LOGIN, "%,.1f"),
                PROXY_LOGIN, -1, "%,.1f");
        line(md, variants, "first session: 200 RETR of 4 KB (messages/s)", cell(first, DIRECT_FIRST, "%,.0f"),
                PROXY_FIRST, DIRECT_FIRST, "%,.0f");
        line(md, variants, "second session: the next 200 RETR (messages/s)", cell(first, DIRECT_SECOND, "%,.0f"),
                PROXY_SECOND, DIRECT_SECOND, "%,.0f");
        md.append('\n');
        for (String failure : failures) {
            md.append("- **failed**: `").append(failure).append("`\n");
        }
        if (!failures.isEmpty()) {
            md.append('\n');
        }
    }

    private static String title(String variant) {
        return variant.equals(CDS_VARIANT) ? "popbridge with AppCDS" : "popbridge";
    }

    private void line(StringBuilder md, List<String> variants, String label, String direct, int proxyColumn,
            int directColumn, String format) {
        md.append("| ").append(label).append(" | ").append(direct).append(" |");
        for (String v : variants) {
            md.append(' ').append(cell(v, proxyColumn, format)).append(" | ");
            if (directColumn >= 0) {
                List<Double> r = ratios(v, directColumn, proxyColumn);
                md.append(ratioCell(r));
            }
            md.append(" |");
        }
        md.append('\n');
    }

    private String cell(String variant, int column, String format) {
        List<Double> v = column(variant, column);
        return v.isEmpty() ? "–" : RoundFigures.withRange(format, RoundFigures.median(v), v);
    }

    private List<Double> column(String variant, int column) {
        List<Double> values = new ArrayList<>();
        for (String[] p : byVariant.getOrDefault(variant, List.of())) {
            if (!p[column].isEmpty()) {
                values.add(Double.parseDouble(p[column]));
            }
        }
        return values;
    }

    private List<Double> ratios(String variant, int directColumn, int proxyColumn) {
        List<Double> ratios = new ArrayList<>();
        for (String[] p : byVariant.getOrDefault(variant, List.of())) {
            double d = Double.parseDouble(p[directColumn]);
            if (d > 0) {
                ratios.add(Double.parseDouble(p[proxyColumn]) / d);
            }
        }
        return ratios;
    }

    private static String ratioCell(List<Double> ratios) {
        if (ratios.isEmpty()) {
            return "–";
        }
        String m = String.format(Locale.ROOT, "%.2f×", RoundFigures.median(ratios));
        return ratios.size() == 1 ? m : m + String.format(Locale.ROOT, " <sub>(%.2f–%.2f)</sub>",
                java.util.Collections.min(ratios), java.util.Collections.max(ratios));
    }
}
