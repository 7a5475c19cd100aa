package org.popbridge.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;

/**
 * The first fetches of a freshly started popbridge (issue 15's cold start: a restarted proxy
 * serving a morning's first fetches). bench/run.sh starts popbridge, waits for its "listening on"
 * line, and runs this in a fresh client JVM, which first warms itself up against Dovecot directly
 * (so only popbridge is cold; Dovecot is warm too), then times two sessions directly and then the
 * same two through popbridge, which are the first sessions that popbridge ever serves: connect and
 * login, then RETR of {@code --messages} (200) 4 KB messages one after the other, messages 1-200
 * in the first session and 201-400 in the second. Every RETR must return LIST's size. Appends one
 * line to DIR/cold.tsv (columns in {@link #COLUMNS}); run.sh stops that popbridge afterwards.
 */
final class ColdStart {

    static final String COLUMNS = "variant\trep\tlaunch_ms\tdirect_login_ms\tdirect_first_msgps\tdirect_second_msgps"
            + "\tproxy_login_ms\tproxy_first_msgps\tproxy_second_msgps\tfailure";

    /** One session's figures. */
    private record Pass(double loginMillis, double messagesPerSecond) {
    }

    private final Map<String, String> options;

    ColdStart(Map<String, String> options) {
        this.options = options;
    }

    private String option(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    private String required(String key) {
        String value = options.get(key);
        if (value == null) {
            throw new IllegalArgumentException("cold: --" + key + " is required");
        }
        return value;
    }

    void run() throws Exception {
        Path out = Path.of(required("out"));
        String host = option("host", "127.0.0.1");
        Endpoint direct = new Endpoint("direct-plain", host, Integer.parseInt(required("direct")), false);
        Endpoint proxy = new Endpoint("proxy-cold", host, Integer.parseInt(required("proxy")), false);
        Account small = new Account(option("small-user", "small"), option("password", "bench-secret"));
        int messages = Integer.parseInt(option("messages", "200"));
        int warmups = Integer.parseInt(option("warmup-passes", "20"));
        String line;
        try {
            // The client's own JIT warm-up, on Dovecot directly; popbridge sees nothing yet.
            for (int i = 0; i < warmups; i++) {
                pass(direct, small, 1 + (i % 2) * messages, messages);
            }
            Pass directFirst = pass(direct, small, 1, messages);
            Pass directSecond = pass(direct, small, 1 + messages, messages);
            Pass proxyFirst = pass(proxy, small, 1, messages);
            Pass proxySecond = pass(proxy, small, 1 + messages, messages);
            line = String.format(Locale.ROOT, "%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t",
                    directFirst.loginMillis(), directFirst.messagesPerSecond(), directSecond.messagesPerSecond(),
                    proxyFirst.loginMillis(), proxyFirst.messagesPerSecond(), proxySecond.messagesPerSecond());
            System.err.printf(Locale.ROOT, "bench: cold start %s #%s: launch %s ms; direct %.0f msg/s, popbridge"
                    + " first %d %.0f msg/s (login %.1f ms), next %d %.0f msg/s%n", required("variant"),
                    required("rep"), required("launch-ms"), directFirst.messagesPerSecond(), messages,
                    proxyFirst.messagesPerSecond(), proxyFirst.loginMillis(), messages,
                    proxySecond.messagesPerSecond());
        } catch (IOException e) {
            line = "\t\t\t\t\t\t" + RetrThroughput.describe(e).replace('\t', ' ');
            System.err.println("bench: cold start " + required("variant") + " #" + required("rep") + " failed: "
                    + RetrThroughput.describe(e));
        }
        Path file = out.resolve("cold.tsv");
        if (!Files.exists(file)) {
            Files.writeString(file, COLUMNS + "\n", StandardCharsets.UTF_8);
        }
        Files.writeString(file, required("variant") + "\t" + required("rep") + "\t" + required("launch-ms") + "\t"
                + line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** One session: connect and login (timed), LIST, RETR of COUNT messages from FIRST (timed), QUIT. */
    private static Pass pass(Endpoint endpoint, Account account, int first, int count) throws IOException {
        long t0 = System.nanoTime();
        try (Pop3Connection connection = Pop3Connection.open(endpoint, null)) {
            connection.login(account);
            long t1 = System.nanoTime();
            long[] sizes = connection.list();
            if (sizes.length < first + count - 1) {
                throw new Pop3Exception("mailbox " + account.user() + " has " + sizes.length + " messages, need "
                        + (first + count - 1));
            }
            long t2 = System.nanoTime();
            for (int m = first; m < first + count; m++) {
                long got = connection.retr(m);
                if (got != sizes[m - 1]) {
                    throw new Pop3Exception("RETR " + m + ": " + got + " octets, LIST said " + sizes[m - 1]);
                }
            }
            long t3 = System.nanoTime();
            connection.quit();
            return new Pass((t1 - t0) / 1e6, count / ((t3 - t2) / 1e9));
        }
    }
}
