package org.popbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Counters of a Linux process read from /proc: CPU ticks, its JIT compilers' ticks, /proc/PID/status sizes. */
final class ProcessCounters {

    private ProcessCounters() {
    }

    /** utime + stime (fields 14 and 15 of /proc/PID/stat), in clock ticks. */
    static long cpuTicks(long pid) throws IOException {
        String[] fields = statFields(Path.of("/proc/" + pid + "/stat"));
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * cutime + cstime (fields 16 and 17): the CPU ticks of the children the process has waited
     * for, i.e. of its child processes that have ended.
     */
    static long reapedChildrenTicks(long pid) throws IOException {
        String[] fields = statFields(Path.of("/proc/" + pid + "/stat"));
        return Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    }

    /** CPU ticks of the JVM's JIT compiler threads so far (C1 and C2). */
    static long jitTicks(long pid) throws IOException {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String comm = Files.readString(task.resolve("comm"));
                    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                        String[] fields = statFields(task.resolve("stat"));
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    }
                } catch (IOException gone) {
                    // A compiler thread can end between the listing and the read.
                }
            }
        }
        return ticks;
    }

    /** A size line of /proc/PID/status such as VmRSS or VmHWM, in kB; -1 if it is missing. */
    static long statusKb(long pid, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** The fields after the command name, so field 3 (state) is index 0. */
    private static String[] statFields(Path stat) throws IOException {
        String text = Files.readString(stat);
        return text.substring(text.lastIndexOf(')') + 2).split(" ");
    }
}
