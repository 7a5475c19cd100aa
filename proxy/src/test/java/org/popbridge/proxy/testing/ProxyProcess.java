package org.popbridge.proxy.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * popbridge as an operator runs it: its own JVM (the test classpath, so logback.xml is the one
 * shipped), standard output and error read together as they come, so the pipe never fills and a
 * test can wait for a line. Closing it sends SIGTERM, then kills what is left, and waits for the
 * reader.
 */
public final class ProxyProcess implements AutoCloseable {

    public static final String MAIN_CLASS = "org.popbridge.proxy.cli.PopbridgeCommand";
    /**
     * JVM options for invariant 4's tests: heap and direct memory far below a 100 MB message, so
     * a proxy that held one would run out of memory (and exit at once, not limp on).
     */
    public static final List<String> SMALL_HEAP = List.of("-Xmx48m", "-XX:MaxDirectMemorySize=32m",
            "-XX:+ExitOnOutOfMemoryError", "-Dio.netty.leakDetection.level=disabled");
    private static final Pattern LISTENING = Pattern.compile("listening on [a-z0-9]+://127\\.0\\.0\\.1:(\\d+)");
    private static final long WAIT_MILLIS = 60_000;

    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final Thread reader;
    private boolean ended;

    private ProxyProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "proxy-output");
        reader.start();
    }

    /**
     * Starts {@code popbridge ARGUMENTS}.
     *
     * @param launcher a command that execs what follows it ({@code nohup}, {@code env ...}), or empty
     * @param jvmOptions options for the JVM, before the classpath
     */
    public static ProxyProcess start(List<String> launcher, List<String> jvmOptions, List<String> arguments)
            throws IOException {
        return new ProxyProcess(launch(launcher, jvmOptions, arguments));
    }

    /** {@code popbridge ARGUMENTS} as a bare process, output and error together, for a command that ends by itself. */
    public static Process launch(List<String> launcher, List<String> jvmOptions, List<String> arguments)
            throws IOException {
        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS));
        command.addAll(arguments);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    public Process process() {
        return process;
    }

    /** What it wrote so far, a line an element. */
    public List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** The port of the first listener it opened, once its "listening on" line is out. */
    public int port() throws InterruptedException {
        Matcher matcher = LISTENING.matcher(awaitLine(line -> LISTENING.matcher(line).find(), "listening on"));
        matcher.find();
        return Integer.parseInt(matcher.group(1));
    }

    /** The first line that contains {@code text}, waiting for it up to a minute. */
    public String awaitLine(String text) throws InterruptedException {
        return awaitLine(line -> line.contains(text), text);
    }

    private String awaitLine(Predicate<String> wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        synchronized (output) {
            int seen = 0;
            while (true) {
                for (; seen < output.size(); seen++) {
                    if (wanted.test(output.get(seen))) {
                        return output.get(seen);
                    }
                }
                long left = deadline - System.nanoTime();
                if (ended || left <= 0) {
                    throw new AssertionError("no line with \"" + what + "\" from the proxy ("
                            + (ended ? "it exited" : "waited a minute") + "); its output:\n" + String.join("\n", output));
                }
                output.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (output) {
                    output.add(line);
                    output.notifyAll();
                }
            }
        } catch (IOException e) {
            // The process ended.
        }
        synchronized (output) {
            ended = true;
            output.notifyAll();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        reader.join(10_000);
    }
}
