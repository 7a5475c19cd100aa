package org.popbridge.proxy.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.testing.ProxyProcess;

/**
 * What netty itself logs (a leak report, a bad -Dio.netty setting, an exception no handler took)
 * reaches popbridge's log, in its format, and not java.util.logging's on standard error. netty
 * picks its logging backend once, at its first line; picked from inside a log call while
 * SessionLog was loading, it fell back to java.util.logging for the whole run.
 */
class NettyLogLinesTest {

    /** A line as logback.xml writes it: "2026-12-06 16:09:06.976 WARN  SystemPropertyUtil - ...". */
    private static final String POPBRIDGE_LINE = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} [A-Z]+ +\\S+ - .*";

    @TempDir
    Path dir;

    @Test
    void nettysWarningIsAPopbridgeLogLine() throws Exception {
        // netty reads this setting when it first makes a buffer, and warns that it is no number.
        try (ProxyProcess proxy = ProxyProcess.start(List.of(),
                List.of("-Dio.netty.leakDetection.targetRecords=not-a-number"),
                List.of("--listen", "pop3://127.0.0.1:0", "--upstream", "pop3://127.0.0.1:1",
                        "--state-dir", dir.toString()))) {
            proxy.port();
            String warning = proxy.awaitLine("io.netty.leakDetection.targetRecords");
            assertThat(warning).matches(POPBRIDGE_LINE).contains("WARN", "SystemPropertyUtil", "not-a-number");
            assertThat(proxy.output()).as("java.util.logging's two-line format")
                    .noneMatch(line -> line.startsWith("WARNING: ") || line.startsWith("SEVERE: "));
        }
    }
}
