package org.popbridge.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run's raw figures as tab-separated lines, written as they come so a run that dies
 * half-way still leaves what it measured: results.tsv (TARGET, METRIC, VALUE) and
 * events.tsv (EPOCH-MS, TARGET, PHASE, begin|end) for lining up the memory samples.
 */
final class ResultLog {

    private final Writer results;
    private final Writer events;
    private final Path dir;

    ResultLog(Path dir) throws IOException {
        this.dir = dir;
        results = Files.newBufferedWriter(dir.resolve("results.tsv"), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        events = Files.newBufferedWriter(dir.resolve("events.tsv"), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    synchronized void put(String target, String metric, Object value) {
        String text = value instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : String.valueOf(value);
        write(results, target + "\t" + metric + "\t" + text.replace('\t', ' ').replace('\n', ' '));
    }

    synchronized void event(String target, String phase, String edge) {
        write(events, System.currentTimeMillis() + "\t" + target + "\t" + phase + "\t" + edge);
    }

    /**
     * The raw login times of one many-sessions run, one session a line in arrival order:
     * milliseconds after the run's start when it began to connect and when its login was done
     * (empty if it never was), in logins-TARGET-PHASE.tsv.
     */
    synchronized void logins(String target, String phase, long[][] times) {
        Path file = dir.resolve("logins-" + target + "-" + phase + ".tsv");
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (long[] t : times) {
                writer.write(String.format(Locale.ROOT, "%.3f\t%s%n", t[0] / 1e6,
                        t[1] == 0 ? "" : String.format(Locale.ROOT, "%.3f", t[1] / 1e6)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Writer writer, String line) {
        try {
            writer.write(line);
            writer.write('\n');
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** results.tsv read back: target -> metric -> value (a later line wins). */
    static Map<String, Map<String, String>> read(Path dir) throws IOException {
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        Path file = dir.resolve("results.tsv");
        if (!Files.exists(file)) {
            return all;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] parts = line.split("\t", 3);
            if (parts.length == 3) {
                all.computeIfAbsent(parts[0], k -> new LinkedHashMap<>()).put(parts[1], parts[2]);
            }
        }
        return all;
    }

    /** events.tsv read back as [epochMs, target, phase, edge] rows. */
    static List<String[]> readEvents(Path dir) throws IOException {
        Path file = dir.resolve("events.tsv");
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .map(line -> line.split("\t"))
                .filter(parts -> parts.length == 4)
                .toList();
    }
}
