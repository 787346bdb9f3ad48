package org.xmpproxy.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the benchmark reads of the Openfire processes (one, or each node of a cluster): heap after a GC and CPU
 * time (jcmd, /proc), summed over them, and JFR recordings, one per process.
 */
final class ServerProbe {
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total\\s+\\d+K, used (\\d+)K");
    private final List<Long> pids;
    private final Path jcmd;
    private final long ticksPerSecond;

    ServerProbe(List<Long> pids) {
        this.pids = List.copyOf(pids);
        this.jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        this.ticksPerSecond = clockTicks();
    }

    /** Heap in use right after a full GC, in bytes, summed over the processes. */
    long heapAfterGc() throws IOException, InterruptedException {
        long sum = 0;
        for (long pid : pids) {
            jcmd(pid, "GC.run");
            String info = jcmd(pid, "GC.heap_info");
            Matcher used = HEAP_USED.matcher(info);
            if (!used.find()) {
                throw new IllegalStateException("cannot read the heap from jcmd GC.heap_info:\n" + info);
            }
            sum += Long.parseLong(used.group(1)) * 1024;
        }
        return sum;
    }

    /** CPU time the server processes used so far (all threads, user and system), in ms, summed. */
    long cpuMillis() throws IOException {
        long sum = 0;
        for (long pid : pids) {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15)
            sum += ticks * 1000 / ticksPerSecond;
        }
        return sum;
    }

    /** CPU time so far by thread group (thread names with their numbers taken out), in ms, summed over the processes. */
    java.util.Map<String, Long> cpuMillisByThread() throws IOException {
        java.util.Map<String, Long> byGroup = new java.util.TreeMap<>();
        for (long pid : pids) {
            try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path task : tasks.toList()) {
                    try {
                        String name = Files.readString(task.resolve("comm")).trim().replaceAll("\\d+", "N");
                        String stat = Files.readString(task.resolve("stat"));
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                        byGroup.merge(name, ticks * 1000 / ticksPerSecond, Long::sum);
                    } catch (IOException | RuntimeException ended) {
                        // the thread ended while we read it
                    }
                }
            }
        }
        return byGroup;
    }

    /**
     * Records with JFR's "profile" settings, Java code sampled every millisecond instead of every 10 (a burst lasts
     * seconds); returns the recordings' files: {@code file} itself for one process, {@code <name>-node<n>.jfr} for each
     * node of a cluster.
     */
    List<Path> startRecording(Path file) throws IOException, InterruptedException {
        Path profile = Path.of(System.getProperty("java.home"), "lib", "jfr", "profile.jfc");
        Path settings = file.resolveSibling("sampling-1ms.jfc");
        String jfc = Files.readString(profile);
        Matcher sample = Pattern.compile("(<event name=\"jdk.ExecutionSample\">.*?<setting name=\"period\"[^>]*>)[^<]*(</setting>)",
                Pattern.DOTALL).matcher(jfc);
        Files.writeString(settings, sample.find() ? sample.replaceFirst("$11 ms$2") : jfc);
        List<Path> files = new ArrayList<>();
        for (int node = 0; node < pids.size(); node++) {
            Path recording = pids.size() == 1 ? file
                    : file.resolveSibling(file.getFileName().toString().replaceFirst("\\.jfr$", "") + "-node" + (node + 1) + ".jfr");
            jcmd(pids.get(node), "JFR.start", "name=load", "settings=" + settings.toAbsolutePath(),
                    "filename=" + recording.toAbsolutePath());
            files.add(recording);
        }
        return files;
    }

    void stopRecording() throws IOException, InterruptedException {
        for (long pid : pids) {
            jcmd(pid, "JFR.stop", "name=load");
        }
    }

    private String jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }

    private static long clockTicks() {
        try {
            Process process = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            process.waitFor(10, TimeUnit.SECONDS);
            return Long.parseLong(out);
        } catch (IOException | InterruptedException | NumberFormatException e) {
            return 100; // Linux's USER_HZ almost everywhere
        }
    }
}
