package org.kindred.loadtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Samples a process's CPU time and resident memory from {@code /proc}: {@code /proc/PID/stat} fields 14 and 15
 * (utime, stime, in clock ticks of {@code getconf CLK_TCK}) and {@code /proc/PID/status} {@code VmRSS}.
 */
public final class ProcSampler {

    /** One sample: CPU in clock ticks, RSS in KiB (-1 when unreadable). */
    public record Sample(long userTicks, long systemTicks, long rssKb, long nanoTime) {}

    private static volatile long clockTicks = -1;

    private ProcSampler() {}

    public static Sample sample(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        long utime = Long.parseLong(fields[11]); // field 14
        long stime = Long.parseLong(fields[12]); // field 15
        long rss = -1;
        for (String line :
                Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                break;
            }
        }
        return new Sample(utime, stime, rss, System.nanoTime());
    }

    /** Whether a process with this id exists and is readable. */
    public static boolean exists(long pid) {
        return Files.isReadable(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /** Clock ticks per second ({@code getconf CLK_TCK}, normally 100). */
    public static long clockTicksPerSecond() {
        long t = clockTicks;
        if (t > 0) {
            return t;
        }
        t = 100;
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                t = Long.parseLong(new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim());
            } else {
                p.destroyForcibly();
            }
        } catch (IOException | NumberFormatException e) {
            // keep 100, the Linux default
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clockTicks = t;
        return t;
    }

    public static double ticksToMillis(long ticks) {
        return ticks * 1000.0 / clockTicksPerSecond();
    }

    /** The soft limit on open files of this process, from {@code /proc/self/limits}; -1 when unknown. */
    public static long openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft =
                            line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return -1;
    }

    /** The size of the ephemeral port range, from {@code /proc/sys/net/ipv4/ip_local_port_range}; 28232 if unknown. */
    public static int ephemeralPorts() {
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim()
                    .split("\\s+");
            return Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        } catch (IOException | RuntimeException e) {
            return 28232;
        }
    }
}
