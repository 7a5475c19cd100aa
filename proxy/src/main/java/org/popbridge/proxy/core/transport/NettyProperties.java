package org.popbridge.proxy.core.transport;

import java.util.Properties;

/**
 * The netty system properties popbridge chooses, set at start before netty reads them; one
 * given with {@code -D} (in JAVA_OPTS) is left as given.
 */
public final class NettyProperties {

    /**
     * netty's adaptive allocator calls memory low when the heap is at most 512 MB, and then
     * pools only small buffers: every read buffer above 16 KB, which is what a large message
     * fills, is then allocated from the system and zeroed, and freed after its write (2-4 µs
     * each against 0.4-0.6 µs pooled, measured on netty 4.2.17). popbridge is often given such
     * a heap ({@code -Xmx256m} in the benchmarks, 512m in the README's example), and its
     * buffers are direct, sized by its reads, not by the heap: with pooling on, 9,900 sessions
     * at once used the same memory (RSS 269 MB against 260 MB).
     */
    static final String LOW_MEMORY = "io.netty.allocator.lowMemory";

    /**
     * netty's io_uring channels wait for input with a multishot POLLIN, which fires on a change
     * of state only. When a server's reset comes in the same completion batch as the last data,
     * the read that drains the data ends its loop because the socket is empty, with the reset
     * still unread and no further change to fire the poll: the channel never closes (netty
     * 4.2.17 and 4.2.18; bench/io-uring-reset-check.sh). A one-shot poll, re-armed after each
     * read loop, reports the pending reset at once. Read once, when io_uring's classes load.
     */
    static final String IO_URING_MULTISHOT_POLL = "io.netty.iouring.pollAddMultishotEnabled";

    /**
     * netty's leak detector, at its default level, wraps one buffer in 128 with a recorded
     * stack trace and hands every message through the pipelines to {@code touch}: about a tenth
     * of popbridge's user-space CPU per relayed command (profiled on NOOPs and 4 KB RETRs). It is a
     * tool for finding a leak, not a guard: the JUnit and interop suites run it at paranoid
     * and fail on any report, and an operator chasing a leak turns it on with
     * {@code -Dio.netty.leakDetection.level=advanced} in JAVA_OPTS.
     */
    static final String LEAK_DETECTION = "io.netty.leakDetection.level";

    private NettyProperties() {
    }

    /** Sets popbridge's defaults in {@code system} where they are not set. */
    public static void setDefaults(Properties system) {
        system.putIfAbsent(LOW_MEMORY, "false");
        system.putIfAbsent(LEAK_DETECTION, "disabled");
        setIoUringDefaults(system);
    }

    /** Sets popbridge's io_uring defaults in {@code system} where they are not set. */
    static void setIoUringDefaults(Properties system) {
        system.putIfAbsent(IO_URING_MULTISHOT_POLL, "false");
    }
}
