package org.popbridge.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.HdrHistogram.Histogram;

/**
 * The TLS-provider benchmark (bench/run-tls.sh): popbridge processes that differ only in the
 * TLS provider, each with an implicit-TLS listener, measured in rounds that alternate the order.
 *
 * <pre>
 *   tls --out DIR --ca FILE --targets NAME=PORT:PID,... [--rounds 2] [--handshakes 1500]
 *       [--threads 4] [--big-per-session 8] [--small-per-session 1500] [--clk-tck 100]
 * </pre>
 *
 * Handshakes: {@code threads} threads share {@code handshakes} connections; each one is
 * connect, full handshake, read the +OK greeting, close. Every connection gets a fresh
 * client {@link SSLContext} (so a fresh, empty client session cache): no session can be
 * resumed, neither by TLS 1.2 session id nor by TLS 1.3 PSK ticket. The latency of one
 * handshake runs from before connect to after the greeting; building the SSLContext is not
 * timed. popbridge's CPU time (utime + stime from /proc/PID/stat) is read around each phase.
 */
final class TlsProviders {

    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final Path out;
    private final TrustManager[] trust;
    private final List<BenchTarget> targets;
    private final int rounds;
    private final int handshakes;
    private final int threads;
    private final int bigPerSession;
    private final int smallPerSession;
    private final double clkTck;
    private final RoundFigures figures = new RoundFigures();
    private final Map<String, String> notes = new ConcurrentHashMap<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    TlsProviders(Map<String, String> options) throws Exception {
        out = Path.of(options.get("out"));
        trust = trustManagers(Path.of(options.get("ca")));
        targets = BenchTarget.parse(options.get("targets"));
        rounds = Integer.parseInt(options.getOrDefault("rounds", "2"));
        handshakes = Integer.parseInt(options.getOrDefault("handshakes", "1500"));
        threads = Integer.parseInt(options.getOrDefault("threads", "4"));
        bigPerSession = Integer.parseInt(options.getOrDefault("big-per-session", "8"));
        smallPerSession = Integer.parseInt(options.getOrDefault("small-per-session", "1500"));
        clkTck = Double.parseDouble(options.getOrDefault("clk-tck", "100"));
    }

    void run() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(threads, 4), BenchMain.threads("tls", 0));
        try {
            SSLContext shared = context();
            Account big = new Account("big", "bench-secret");
            Account small = new Account("small", "bench-secret");
            // Warm-up: JIT on both sides, Dovecot's indexes, netty's buffer pools.
            for (BenchTarget t : targets) {
                for (String protocol : PROTOCOLS) {
                    handshakes(t, protocol, Math.min(handshakes, 200), pool);
                }
                RetrThroughput.run(t.endpoint(true), shared, small, 1, 300, pool);
                RetrThroughput.run(t.endpoint(true), shared, big, 1, 3, pool);
                try (Pop3Connection probe = Pop3Connection.open(t.endpoint(true), shared)) {
                    notes.put(t.name() + ".retr.transport", probe.tlsDescription());
                }
            }
            for (int round = 1; round <= rounds; round++) {
                List<BenchTarget> order = new ArrayList<>(targets);
                if (round % 2 == 0) {
                    Collections.reverse(order);
                }
                System.err.printf("bench: round %d of %d%n", round, rounds);
                for (String protocol : PROTOCOLS) {
                    for (BenchTarget t : order) {
                        long cpu0 = cpuTicks(t);
                        HandshakeResult r = handshakes(t, protocol, handshakes, pool);
                        double cpu = (cpuTicks(t) - cpu0) / clkTck;
                        String key = "hs." + protocol;
                        add(key + ".rate", t, r.done() / (r.nanos() / 1e9));
                        add(key + ".p50", t, r.latency().getValueAtPercentile(50) / 1e6);
                        add(key + ".p99", t, r.latency().getValueAtPercentile(99) / 1e6);
                        add(key + ".cpu_ms", t, r.done() == 0 ? 0 : cpu * 1e3 / r.done());
                        add(key + ".failed", t, r.failed());
                        rss(t);
                        System.err.printf("bench: %-16s %s handshakes: %.0f/s, p50 %.2f ms, p99 %.2f ms,"
                                + " %.2f ms proxy CPU each, %d failed%n", t.name(), protocol,
                                r.done() / (r.nanos() / 1e9), r.latency().getValueAtPercentile(50) / 1e6,
                                r.latency().getValueAtPercentile(99) / 1e6, r.done() == 0 ? 0 : cpu * 1e3 / r.done(),
                                r.failed());
                    }
                }
                for (BenchTarget t : order) {
                    retr(t, shared, big, "retr10m.s1", 1, bigPerSession, pool);
                }
                for (BenchTarget t : order) {
                    retr(t, shared, big, "retr10m.s4", 4, bigPerSession, pool);
                }
                for (BenchTarget t : order) {
                    retr(t, shared, small, "retr4k.s1", 1, smallPerSession, pool);
                }
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        for (BenchTarget t : targets) {
            add("hwm_mb", t, ProcessCounters.statusKb(t.pid(), "VmHWM") / 1024.0);
        }
        String markdown = markdown();
        Files.writeString(out.resolve("tls-results.md"), markdown);
        Files.writeString(out.resolve("tls-raw.tsv"), raw());
        PrintStream stdout = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, "UTF-8");
        stdout.print(markdown);
        stdout.flush();
    }

    private void retr(BenchTarget t, SSLContext tls, Account account, String key, int sessions, int perSession,
            ExecutorService pool) throws Exception {
        long cpu0 = cpuTicks(t);
        RetrThroughput.Result r = RetrThroughput.run(t.endpoint(true), tls, account, sessions, perSession, pool);
        double cpu = (cpuTicks(t) - cpu0) / clkTck;
        add(key + ".mbps", t, r.megabytesPerSecond());
        add(key + ".msgps", t, r.messagesPerSecond());
        add(key + ".cpu_s_per_gb", t, cpu / (r.octets() / 1e9));
        add(key + ".failed", t, r.failures());
        if (r.failures() > 0) {
            failures.add(t.name() + " " + key + ": " + r.firstFailure());
        }
        rss(t);
        System.err.printf("bench: %-16s %s: %.1f MB/s, %.0f msg/s, %.1f s proxy CPU per GB%s%n", t.name(), key,
                r.megabytesPerSecond(), r.messagesPerSecond(), cpu / (r.octets() / 1e9),
                r.failures() > 0 ? ", " + r.failures() + " failed: " + r.firstFailure() : "");
    }

    private record HandshakeResult(int done, int failed, long nanos, Histogram latency) {
    }

    /** {@code count} connections over {@code threads} threads: connect, handshake, greeting, close. */
    private HandshakeResult handshakes(BenchTarget t, String protocol, int count, ExecutorService pool) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong lastEnd = new AtomicLong();
        List<Histogram> histograms = new ArrayList<>();
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            Histogram h = new Histogram(60_000_000_000L, 3);
            histograms.add(h);
            futures.add(pool.submit(() -> {
                while (next.getAndIncrement() < count) {
                    try {
                        SSLContext fresh = context();
                        long t0 = System.nanoTime();
                        String suite = handshakeOnce(fresh, t, protocol);
                        h.recordValue(System.nanoTime() - t0);
                        notes.putIfAbsent(t.name() + ".hs." + protocol, suite);
                    } catch (Exception e) {
                        if (failed.incrementAndGet() <= 3) {
                            failures.add(t.name() + " " + protocol + " handshake: " + RetrThroughput.describe(e));
                        }
                    }
                }
                lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(600, TimeUnit.SECONDS);
        }
        Histogram all = new Histogram(60_000_000_000L, 3);
        histograms.forEach(all::add);
        return new HandshakeResult((int) all.getTotalCount(), failed.get(), lastEnd.get() - start, all);
    }

    private static String handshakeOnce(SSLContext fresh, BenchTarget t, String protocol) throws IOException {
        try (Socket raw = new Socket()) {
            raw.setTcpNoDelay(true);
            raw.connect(new InetSocketAddress("127.0.0.1", t.port()), Pop3Connection.CONNECT_TIMEOUT_MS);
            raw.setSoTimeout(Pop3Connection.READ_TIMEOUT_MS);
            try (SSLSocket ssl = (SSLSocket) fresh.getSocketFactory()
                    .createSocket(raw, Endpoint.TLS_NAME, t.port(), true)) {
                SSLParameters params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                params.setProtocols(new String[] {protocol});
                ssl.setSSLParameters(params);
                ssl.startHandshake();
                InputStream in = ssl.getInputStream();
                byte[] line = new byte[512];
                int n = 0;
                while (n == 0 || line[n - 1] != '\n') {
                    int r = in.read(line, n, line.length - n);
                    if (r < 0 || n + r == line.length) {
                        throw new Pop3Exception("no greeting line");
                    }
                    n += r;
                }
                if (!new String(line, 0, n, StandardCharsets.US_ASCII).startsWith("+OK")) {
                    throw new Pop3Exception("greeting is not +OK");
                }
                return ssl.getSession().getProtocol() + " " + ssl.getSession().getCipherSuite();
            }
        }
    }

    private SSLContext context() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust, null);
        return context;
    }

    private static TrustManager[] trustManagers(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(file)) {
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca" + i++, cert);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    private static long cpuTicks(BenchTarget t) throws IOException {
        return ProcessCounters.cpuTicks(t.pid());
    }

    private void rss(BenchTarget t) throws IOException {
        add("rss_mb", t, ProcessCounters.statusKb(t.pid(), "VmRSS") / 1024.0);
    }

    private void add(String key, BenchTarget t, double value) {
        figures.add(key, t.name(), value);
    }

    private String markdown() {
        StringBuilder md = new StringBuilder();
        List<String> names = targets.stream().map(BenchTarget::name).toList();
        // Pairs: the JDK and OpenSSL proxies with the same upstream.
        for (String upstream : List.of("plainup", "tlsup")) {
            String jdk = "jdk-" + upstream;
            String ossl = "openssl-" + upstream;
            if (!names.contains(jdk) || !names.contains(ossl)) {
                continue;
            }
            md.append("#### Upstream ").append(upstream.equals("plainup")
                    ? "plain POP3 (only the client leg is TLS)" : "POP3S (both legs TLS)").append("\n\n");
            md.append("- client leg: TLS 1.3 ").append(suiteOf(notes.get(jdk + ".hs.TLSv1.3")))
                    .append(", TLS 1.2 ").append(suiteOf(notes.get(jdk + ".hs.TLSv1.2")))
                    .append(" (JDK proxy; OpenSSL proxy: ").append(suiteOf(notes.get(ossl + ".hs.TLSv1.3")))
                    .append(", ").append(suiteOf(notes.get(ossl + ".hs.TLSv1.2"))).append(")\n\n");
            md.append("| measurement | JDK provider | OpenSSL provider | OpenSSL ÷ JDK |\n|---|---:|---:|---:|\n");
            for (String protocol : PROTOCOLS) {
                String p = protocol.replace("TLSv", "TLS ");
                row(md, p + " handshakes/s (" + threads + " clients, " + String.format("%,d", handshakes) + " each)",
                        "hs." + protocol + ".rate", jdk, ossl, "%,.0f");
                row(md, p + " handshake latency, median (ms)", "hs." + protocol + ".p50", jdk, ossl, "%.2f");
                row(md, p + " handshake latency, p99 (ms)", "hs." + protocol + ".p99", jdk, ossl, "%.2f");
                row(md, p + " popbridge CPU per handshake (ms)", "hs." + protocol + ".cpu_ms", jdk, ossl, "%.2f");
            }
            row(md, "RETR 10 MB, 1 session (MB/s)", "retr10m.s1.mbps", jdk, ossl, "%,.0f");
            row(md, "RETR 10 MB, 4 sessions at once (MB/s, total)", "retr10m.s4.mbps", jdk, ossl, "%,.0f");
            row(md, "RETR 4 KB, 1 session (messages/s)", "retr4k.s1.msgps", jdk, ossl, "%,.0f");
            row(md, "popbridge CPU per GB, RETR 10 MB 1 session (s)", "retr10m.s1.cpu_s_per_gb", jdk, ossl, "%.1f");
            row(md, "popbridge CPU per GB, RETR 10 MB 4 sessions (s)", "retr10m.s4.cpu_s_per_gb", jdk, ossl, "%.1f");
            row(md, "popbridge CPU per GB, RETR 4 KB 1 session (s)", "retr4k.s1.cpu_s_per_gb", jdk, ossl, "%.1f");
            row(md, "popbridge RSS after each phase (MB)", "rss_mb", jdk, ossl, "%.0f");
            row(md, "popbridge peak RSS, whole run (VmHWM, MB)", "hwm_mb", jdk, ossl, "%.0f");
            md.append('\n');
        }
        long failedTotal = figures.sumOf(".failed");
        md.append("Failed handshakes or sessions over the run: ").append(failedTotal).append(".\n");
        synchronized (failures) {
            failures.stream().limit(5).forEach(f -> md.append("- ").append(f).append('\n'));
        }
        return md.toString();
    }

    private static String suiteOf(String note) {
        if (note == null) {
            return "?";
        }
        String[] parts = note.split(" ");
        return "`" + parts[parts.length - 1] + "`";
    }

    private void row(StringBuilder md, String label, String key, String jdk, String ossl, String format) {
        md.append("| ").append(label).append(" | ").append(figures.cell(key, jdk, format)).append(" | ")
                .append(figures.cell(key, ossl, format)).append(" | ").append(figures.ratioOfMedians(key, jdk, ossl)).append(" |\n");
    }

    private String raw() {
        return figures.raw(notes);
    }
}
