package org.popbridge.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Figures of a benchmark that runs in rounds: figure key -> target -> values in the order they
 * came (one per round, or one per sample), and the Markdown cells made of them: a median with
 * the slowest–fastest value in small print, and ratios between two targets.
 */
final class RoundFigures {

    private final Map<String, Map<String, List<Double>>> figures = new LinkedHashMap<>();

    synchronized void add(String key, String target, double value) {
        figures.computeIfAbsent(key, k -> new LinkedHashMap<>()).computeIfAbsent(target, k -> new ArrayList<>())
                .add(value);
    }

    synchronized List<Double> values(String key, String target) {
        return List.copyOf(figures.getOrDefault(key, Map.of()).getOrDefault(target, List.of()));
    }

    static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (s.length == 0) {
            return Double.NaN;
        }
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The nearest-rank percentile P (0 < P <= 100): the smallest value with P% of the values at or below it. */
    static double percentile(List<Double> v, double p) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (s.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100 * s.length);
        return s[Math.min(Math.max(rank, 1), s.length) - 1];
    }

    /** VALUE formatted, followed by the smallest and largest of SPREAD in small print when it has more than one. */
    static String withRange(String format, double value, List<Double> spread) {
        String m = String.format(format, value);
        return spread.size() <= 1 ? m
                : m + " <sub>(" + String.format(format, Collections.min(spread)) + "–"
                        + String.format(format, Collections.max(spread)) + ")</sub>";
    }

    /** The median of KEY's values for TARGET with their range, or "–" when there are none. */
    String cell(String key, String target, String format) {
        List<Double> v = values(key, target);
        return v.isEmpty() ? "–" : withRange(format, median(v), v);
    }

    /** median(B) ÷ median(A), or "" when either is missing. */
    String ratioOfMedians(String key, String a, String b) {
        double x = median(values(key, a));
        double y = median(values(key, b));
        return Double.isNaN(x) || Double.isNaN(y) || x == 0 ? "" : String.format("%.2f×", y / x);
    }

    /** The median of the per-round ratios B ÷ A (each round measures both back to back), with their range. */
    String medianOfRatios(String key, String a, String b) {
        List<Double> x = values(key, a);
        List<Double> y = values(key, b);
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            if (x.get(i) > 0) {
                ratios.add(y.get(i) / x.get(i));
            }
        }
        if (ratios.isEmpty()) {
            return "";
        }
        String m = String.format("%.2f×", median(ratios));
        return ratios.size() == 1 ? m
                : m + " <sub>(" + String.format("%.2f", Collections.min(ratios)) + "–"
                        + String.format("%.2f", Collections.max(ratios)) + ")</sub>";
    }

    /** The sum of every value of every key ending in SUFFIX (e.g. ".failed"), over all targets. */
    synchronized long sumOf(String suffix) {
        return figures.entrySet().stream().filter(e -> e.getKey().endsWith(suffix))
                .flatMap(e -> e.getValue().values().stream()).flatMap(List::stream).mapToLong(Double::longValue).sum();
    }

    /** Every figure as "figure TAB target TAB [values]" lines, then NOTES as "note TAB key TAB value". */
    synchronized String raw(Map<String, String> notes) {
        StringBuilder s = new StringBuilder("figure\ttarget\tper-round values\n");
        figures.forEach((key, byTarget) -> byTarget.forEach((target, v) -> s.append(key).append('\t').append(target)
                .append('\t').append(v.toString()).append('\n')));
        notes.forEach((k, v) -> s.append("note\t").append(k).append('\t').append(v).append('\n'));
        return s.toString();
    }
}
