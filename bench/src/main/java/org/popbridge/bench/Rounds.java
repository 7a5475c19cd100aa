package org.popbridge.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Figures gathered over several rounds: for a rate, the median round and the slowest and
 * fastest (the spread shows how noisy the machine was); for latency, one histogram of all
 * rounds' round trips plus each round's median and p99.
 */
final class Rounds {

    private final Map<String, List<Double>> rates = new LinkedHashMap<>();
    private final Map<String, Long> sums = new LinkedHashMap<>();
    private final Map<String, Histogram> histograms = new LinkedHashMap<>();

    void add(String target, String metric, double value) {
        rates.computeIfAbsent(target + "\t" + metric, k -> new ArrayList<>()).add(value);
    }

    void sum(String target, String metric, long value) {
        sums.merge(target + "\t" + metric, value, Long::sum);
    }

    void latency(String target, String name, Histogram round) {
        histograms.computeIfAbsent(target + "\t" + name, k -> new Histogram(60_000_000_000L, 3)).add(round);
        add(target, name + ".p50_us", round.getValueAtPercentile(50) / 1e3);
        add(target, name + ".p99_us", round.getValueAtPercentile(99) / 1e3);
    }

    /**
     * METRIC is the median round (for latency: of all round trips together), METRIC.min and
     * METRIC.max the extreme rounds, METRIC.rounds every round in order.
     */
    void write(ResultLog log) {
        for (Map.Entry<String, List<Double>> e : rates.entrySet()) {
            String[] key = e.getKey().split("\t");
            List<Double> values = e.getValue();
            List<Double> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            log.put(key[0], key[1], median(sorted));
            log.put(key[0], key[1] + ".min", sorted.get(0));
            log.put(key[0], key[1] + ".max", sorted.get(sorted.size() - 1));
            StringBuilder all = new StringBuilder();
            for (double v : values) {
                all.append(all.length() == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT, "%.1f", v));
            }
            log.put(key[0], key[1] + ".rounds", all.toString());
        }
        for (Map.Entry<String, Long> e : sums.entrySet()) {
            String[] key = e.getKey().split("\t");
            log.put(key[0], key[1], e.getValue());
        }
        for (Map.Entry<String, Histogram> e : histograms.entrySet()) {
            String[] key = e.getKey().split("\t");
            Histogram h = e.getValue();
            // Of all round trips together; this overrides the median-of-rounds line above.
            log.put(key[0], key[1] + ".p50_us", h.getValueAtPercentile(50) / 1e3);
            log.put(key[0], key[1] + ".p99_us", h.getValueAtPercentile(99) / 1e3);
            log.put(key[0], key[1] + ".p999_us", h.getValueAtPercentile(99.9) / 1e3);
            log.put(key[0], key[1] + ".max_us", h.getMaxValue() / 1e3);
            log.put(key[0], key[1] + ".mean_us", h.getMean() / 1e3);
            log.put(key[0], key[1] + ".count", h.getTotalCount());
        }
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
