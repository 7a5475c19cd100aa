package org.popbridge.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.core.session.SessionLog;
import org.popbridge.proxy.testing.LogCapture;
import org.popbridge.proxy.testing.Scrape;
import org.slf4j.Logger;

/**
 * The start-up warm-up (warm-up: true, the default) is invisible but for its one line: the
 * start succeeds, none of its sessions' lines reach the log, the metrics count none of its
 * sessions, it never touches the configured upstream, and it leaves no socket open.
 */
class WarmUpAtStartTest {

    @TempDir
    Path dir;

    @Test
    void theWarmUpLogsOneLineCountsNothingAndLeavesNoSocketOpen() throws Exception {
        Path tcp = Path.of("/proc/net/tcp");
        assumeTrue(Files.isReadable(tcp) && Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux /proc");
        try (ServerSocket upstream = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                LogCapture logs = LogCapture.of(Logger.ROOT_LOGGER_NAME)) {
            PopbridgeConfig config = new ConfigLoader().load(Files.writeString(dir.resolve("popbridge.yaml"), """
                    listen: [pop3://127.0.0.1:0]
                    upstream: pop3://127.0.0.1:%d
                    state-dir: %s
                    metrics: { listen: 127.0.0.1:0 }
                    warm-up: true
                    """.formatted(upstream.getLocalPort(), dir)));
            assertThat(config.warmUp()).isTrue();
            Set<Long> before = ourTcpSockets("0A");
            Set<Long> connectedBefore = ourTcpSockets("01");

            try (ProxyServer proxy = ProxyServer.start(config, ProxyServer.UpstreamCheck.OFF)) {
                List<ILoggingEvent> events = logs.events();
                assertThat(events).filteredOn(e -> e.getFormattedMessage().startsWith("JIT warm-up:"))
                        .singleElement()
                        .satisfies(e -> assertThat(e.getFormattedMessage()).matches("JIT warm-up: \\d+ RETRs in \\d+ ms"));
                assertThat(events).as("no line of a warm-up session or of its generation")
                        .noneMatch(e -> e.getMDCPropertyMap().containsKey(SessionLog.LISTENER))
                        .noneMatch(e -> e.getThreadName().equals("popbridge-warm-up"))
                        .filteredOn(e -> e.getFormattedMessage().startsWith("listening on"))
                        .hasSize(1);
                String scrape = Scrape.get(proxy.metricsAddress(), "/metrics").body();
                assertThat(Scrape.samples(scrape)).as("the process's meters count no warm-up session")
                        .filteredOn(sample -> sample.name().startsWith("popbridge_sessions"))
                        .isNotEmpty()
                        .allSatisfy(sample -> assertThat(sample.value()).isZero());

                Set<Long> listening = ourTcpSockets("0A");
                listening.removeAll(before);
                assertThat(listening).as("the proxy's listener and the metrics endpoint, nothing of the warm-up")
                        .hasSize(2);
                assertThat(ourTcpSockets("01")).as("no connection of the warm-up left open")
                        .isEqualTo(connectedBefore);
            }
            upstream.setSoTimeout(1);
            assertThat(acceptsNothing(upstream)).as("the configured upstream was never contacted").isTrue();
        }
    }

    private static boolean acceptsNothing(ServerSocket upstream) throws IOException {
        try {
            upstream.accept().close();
            return false;
        } catch (java.net.SocketTimeoutException e) {
            return true;
        }
    }

    /** The inodes of this process's TCP sockets in {@code state} (0A listening, 01 established). */
    private static Set<Long> ourTcpSockets(String state) throws IOException {
        Set<Long> ours = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        ours.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException e) {
                    // closed while listed
                }
            }
        }
        Set<Long> matching = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                long inode = Long.parseLong(fields[9]);
                if (fields[3].equals(state) && ours.contains(inode)) {
                    matching.add(inode);
                }
            }
        }
        return matching;
    }
}
