package org.xmpproxy.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A short reading of a JFR recording of the server under load: where its CPU samples are (by thread
 * group, by method, self and inclusive), which share of them is inside xmpproxy, and xmpproxy's
 * methods by CPU and by allocation.
 */
public final class JfrSummary {
    private JfrSummary() {
    }

    /** Summarises recordings given by path (e.g. target/load/off-run1.jfr) again. */
    public static void main(String[] recordings) throws IOException {
        for (String recording : recordings) {
            System.out.println(summarise(Path.of(recording)));
        }
    }

    static String summarise(Path recording) throws IOException {
        Map<String, Long> selfSamples = new HashMap<>();
        Map<String, Long> inclusiveSamples = new HashMap<>();
        Map<String, Long> threadSamples = new HashMap<>();
        Map<String, Long> xmpproxyAllocation = new HashMap<>();
        Map<String, Long> cpuStacks = new HashMap<>();
        Map<String, Long> allocationStacks = new HashMap<>();
        long samples = 0;
        long withXmpproxy = 0;
        long allocation = 0;
        long allocationInXmpproxy = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            String type = event.getEventType().getName();
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null) {
                continue;
            }
            List<RecordedFrame> frames = stack.getFrames();
            if (type.equals("jdk.ExecutionSample")) {
                samples++;
                cpuStacks.merge(collapsed(frames, null), 1L, Long::sum);
                if (!frames.isEmpty()) {
                    selfSamples.merge(name(frames.get(0)), 1L, Long::sum);
                }
                Set<String> seen = new HashSet<>();
                boolean inXmpproxy = false;
                for (RecordedFrame frame : frames) {
                    String method = name(frame);
                    if (seen.add(method)) {
                        inclusiveSamples.merge(method, 1L, Long::sum);
                    }
                    inXmpproxy |= method.startsWith("org.xmpproxy.");
                }
                withXmpproxy += inXmpproxy ? 1 : 0;
                var thread = event.getThread("sampledThread");
                threadSamples.merge(thread == null ? "?" : group(thread.getJavaName()), 1L, Long::sum);
            } else if (type.equals("jdk.ObjectAllocationSample")) {
                long weight = event.getLong("weight");
                allocation += weight;
                allocationStacks.merge(collapsed(frames, event.getClass("objectClass").getName()), weight, Long::sum);
                String ours = null;
                for (RecordedFrame frame : frames) {
                    if (name(frame).startsWith("org.xmpproxy.")) {
                        ours = name(frame); // the outermost xmpproxy frame: the call that caused it
                    }
                }
                if (ours != null) {
                    allocationInXmpproxy += weight;
                    xmpproxyAllocation.merge(ours, weight, Long::sum);
                }
            }
        }
        writeCollapsed(Path.of(recording.toString().replaceAll("\\.jfr$", "") + "-cpu.collapsed"), cpuStacks);
        writeCollapsed(Path.of(recording.toString().replaceAll("\\.jfr$", "") + "-alloc.collapsed"), allocationStacks);
        StringBuilder out = new StringBuilder();
        out.append(String.format("JFR %s: %d CPU samples, %.1f%% with an xmpproxy frame; allocation sampled %d MB,"
                        + " %.1f%% under xmpproxy%n", recording.getFileName(), samples, percent(withXmpproxy, samples),
                allocation >> 20, percent(allocationInXmpproxy, allocation)));
        out.append("  threads: ").append(top(threadSamples, 6, samples)).append('\n');
        out.append("  hottest methods (self):\n").append(lines(selfSamples, 15, samples, null));
        out.append("  xmpproxy methods (inclusive):\n").append(lines(inclusiveSamples, 15, samples, "org.xmpproxy."));
        out.append("  xmpproxy calls by allocation (outermost xmpproxy frame):\n")
                .append(lines(xmpproxyAllocation, 10, allocation, null));
        return out.toString();
    }

    /** Flame-graph input: root first, frames separated by ';' (then the allocated class), then the count or bytes. */
    private static String collapsed(List<RecordedFrame> frames, String allocated) {
        StringBuilder stack = new StringBuilder();
        for (int i = frames.size() - 1; i >= 0; i--) {
            stack.append(name(frames.get(i))).append(i == 0 ? "" : ";");
        }
        if (allocated != null) {
            stack.append(";[").append(allocated).append(']');
        }
        return stack.toString();
    }

    private static void writeCollapsed(Path file, Map<String, Long> stacks) throws IOException {
        StringBuilder text = new StringBuilder();
        stacks.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .forEach(e -> text.append(e.getKey()).append(' ').append(e.getValue()).append('\n'));
        java.nio.file.Files.writeString(file, text);
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    /** socket_c2s-thread-12 -> socket_c2s-thread-N */
    private static String group(String thread) {
        return thread == null ? "?" : thread.replaceAll("\\d+", "N");
    }

    private static String top(Map<String, Long> counts, int n, long total) {
        StringBuilder out = new StringBuilder();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).limit(n)
                .forEach(e -> out.append(String.format("%s %.1f%%; ", e.getKey(), percent(e.getValue(), total))));
        return out.toString();
    }

    private static String lines(Map<String, Long> counts, int n, long total, String prefix) {
        StringBuilder out = new StringBuilder();
        counts.entrySet().stream().filter(e -> prefix == null || e.getKey().startsWith(prefix))
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).limit(n)
                .forEach(e -> out.append(String.format("    %5.1f%%  %s%n", percent(e.getValue(), total), e.getKey())));
        return out.toString();
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }
}
