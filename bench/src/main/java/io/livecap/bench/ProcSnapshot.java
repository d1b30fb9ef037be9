package io.livecap.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What Linux's {@code /proc} says at one moment about the server process (CPU, resident memory, CPU per thread
 * group), about this benchmark process, and about the whole machine (busy CPU, load average). The difference of
 * two snapshots is what the server cost in between, and what everybody else on the machine used meanwhile.
 *
 * @param serverThreadCpuSeconds  CPU of the server's live threads, summed by {@link #threadGroup}
 * @param serverThreadWaitSeconds time those threads were ready to run but waited for a CPU (schedstat): what a
 *                                busy machine adds to latency
 */
record ProcSnapshot(long epochMs, double serverCpuSeconds, long serverRssKb,
                    Map<String, Double> serverThreadCpuSeconds, Map<String, Double> serverThreadWaitSeconds,
                    double benchCpuSeconds,
                    double machineBusySeconds, double load1, double load5, double load15) {

    /** USER_HZ: the unit of /proc's CPU times; 100 on every Linux architecture Java runs on. */
    static final double TICKS_PER_SECOND = 100;

    static ProcSnapshot take(long serverPid) {
        Path server = Path.of("/proc", Long.toString(serverPid));
        String[] load = read(Path.of("/proc/loadavg")).trim().split("\\s+");
        Map<String, Double> cpu = new TreeMap<>();
        Map<String, Double> wait = new TreeMap<>();
        threads(server.resolve("task"), cpu, wait);
        return new ProcSnapshot(System.currentTimeMillis(), cpuSeconds(read(server.resolve("stat"))),
                rssKb(read(server.resolve("status"))), cpu, wait,
                cpuSeconds(read(Path.of("/proc/self/stat"))), machineBusySeconds(read(Path.of("/proc/stat"))),
                Double.parseDouble(load[0]), Double.parseDouble(load[1]), Double.parseDouble(load[2]));
    }

    /**
     * Which part of a JVM running livecap a thread belongs to, by its name (as /proc keeps it: 15 characters):
     * a stream's session thread runs the engine and the caption chain; Netty's event loops the websockets and
     * HTTP; the rest is the JVM's own.
     */
    static String threadGroup(String name) {
        if (name.startsWith("session-")) {
            return "session";
        }
        if (name.startsWith("multiThreadIoEv") || name.startsWith("nioEventLoop") || name.startsWith("epollEventLoo")) {
            return "netty";
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            return "gc";
        }
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return "jit";
        }
        return "other";
    }

    /** utime + stime of a /proc/[pid]/stat line; the command name in parentheses may hold spaces. */
    static double cpuSeconds(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // after "pid (comm) " the fields start at "state" (field 3): utime is field 14, stime 15
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }

    static long rssKb(String status) {
        return status.lines().filter(l -> l.startsWith("VmRSS:")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
    }

    /** user + nice + system + irq + softirq + steal of the machine's first /proc/stat line. */
    static double machineBusySeconds(String procStat) {
        String[] f = procStat.lines().findFirst().orElseThrow().trim().split("\\s+");
        long busy = 0;
        for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
            busy += Long.parseLong(f[i]);
        }
        return busy / TICKS_PER_SECOND;
    }

    private static void threads(Path tasks, Map<String, Double> cpu, Map<String, Double> wait) {
        try (Stream<Path> threads = Files.list(tasks)) {
            threads.forEach(t -> {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String group = threadGroup(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
                    cpu.merge(group, cpuSeconds(stat), Double::sum);
                    wait.merge(group, runQueueWaitSeconds(Files.readString(t.resolve("schedstat"))), Double::sum);
                } catch (IOException e) {
                    // the thread ended between the listing and the read
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The second field of /proc/[pid]/task/[tid]/schedstat: ns spent runnable, waiting for a CPU. */
    static double runQueueWaitSeconds(String schedstat) {
        return Long.parseLong(schedstat.trim().split("\\s+")[1]) / 1e9;
    }

    /** CPU seconds per thread group between an earlier snapshot and this one (threads that ended are lost). */
    Map<String, Double> threadCpuSince(ProcSnapshot earlier) {
        return since(serverThreadCpuSeconds, earlier.serverThreadCpuSeconds);
    }

    /** Seconds waited for a CPU per thread group between an earlier snapshot and this one. */
    Map<String, Double> threadWaitSince(ProcSnapshot earlier) {
        return since(serverThreadWaitSeconds, earlier.serverThreadWaitSeconds);
    }

    private static Map<String, Double> since(Map<String, Double> now, Map<String, Double> before) {
        Map<String, Double> delta = new LinkedHashMap<>();
        now.forEach((group, seconds) -> delta.put(group, Math.max(0, seconds - before.getOrDefault(group, 0.0))));
        return delta;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
