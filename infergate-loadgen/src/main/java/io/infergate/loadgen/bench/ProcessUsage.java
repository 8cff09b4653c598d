package io.infergate.loadgen.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time and resident memory of a process and all its descendants (nginx's workers, for instance),
 * read from Linux's {@code /proc/PID/stat} and {@code /proc/PID/status}.
 *
 * <pre>{@code
 * ProcessUsage before = ProcessUsage.of(nginx.handle());
 * ... run ...
 * long cpuNanos = ProcessUsage.of(nginx.handle()).cpuNanos() - before.cpuNanos();
 * }</pre>
 *
 * @param cpuNanos user plus system CPU time, summed over the process tree
 * @param rssBytes resident memory, summed over the process tree
 */
public record ProcessUsage(long cpuNanos, long rssBytes) {

    private static final long CLOCK_TICKS_PER_SECOND = clockTicks();

    /** Whether {@code /proc} can be read here. */
    public static boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    public static ProcessUsage of(ProcessHandle process) {
        long cpu = 0;
        long rss = 0;
        for (ProcessHandle p : Stream.concat(Stream.of(process), process.descendants()).toList()) {
            try {
                cpu += cpuNanos(Files.readString(Path.of("/proc", String.valueOf(p.pid()), "stat")));
                rss += rssBytes(Files.readAllLines(Path.of("/proc", String.valueOf(p.pid()), "status")));
            } catch (IOException e) {
                // the process ended between listing and reading: it uses nothing any more
            }
        }
        return new ProcessUsage(cpu, rss);
    }

    public double rssMegabytes() {
        return rssBytes / (1024.0 * 1024.0);
    }

    /** utime + stime, fields 14 and 15 of {@code /proc/PID/stat}, counted after the parenthesised name. */
    static long cpuNanos(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * 1_000_000_000L / CLOCK_TICKS_PER_SECOND;
    }

    /** {@code VmRSS: 1234 kB} of {@code /proc/PID/status}. */
    static long rssBytes(List<String> status) {
        for (String line : status) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).replace("kB", "").strip()) * 1024;
            }
        }
        return 0;
    }

    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes()).strip();
            return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
