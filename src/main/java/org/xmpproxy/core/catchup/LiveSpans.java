package org.xmpproxy.core.catchup;

import java.util.ArrayList;
import java.util.List;

/**
 * Periods after a resource's catch-up mark during which it was online and received messages live,
 * left behind when it went away in the middle of a catch-up. A later catch-up skips them, so a
 * message is never sent twice. A message it turned out not to have got after all (a copy it left
 * unacknowledged when its stream broke) is a gap between two spans. Kept short: at most {@value #MAX}
 * spans (they fit the 1,024 characters of their column).
 */
public record LiveSpans(List<Span> spans) {
    public static final int MAX = 24;
    public static final LiveSpans NONE = new LiveSpans(List.of());

    /** The times {@code (fromExclusive, toInclusive]}. */
    public record Span(long fromExclusive, long toInclusive) {
        boolean contains(long time) {
            return time > fromExclusive && time <= toInclusive;
        }
    }

    public LiveSpans {
        spans = List.copyOf(spans);
    }

    public boolean covers(long time) {
        return spans.stream().anyMatch(span -> span.contains(time));
    }

    /** These spans plus one more, without those that end at or before {@code mark}. */
    public LiveSpans plus(Span span, long mark) {
        List<Span> kept = new ArrayList<>(spans.stream().filter(s -> s.toInclusive() > mark).toList());
        if (span.toInclusive() > span.fromExclusive()) {
            kept.add(span);
        }
        while (kept.size() > MAX) { // merging two spans may skip what lay between them: bounded, and only after 8 broken catch-ups
            Span first = kept.remove(0);
            Span second = kept.remove(0);
            kept.add(0, new Span(first.fromExclusive(), second.toInclusive()));
        }
        return new LiveSpans(kept);
    }

    /**
     * These spans, none of them covering {@code time} any more: a span that contains it is split around it.
     * Every message routed at that millisecond is then sent again.
     */
    public LiveSpans without(long time) {
        List<Span> kept = new ArrayList<>(spans.size() + 1);
        for (Span span : spans) {
            if (!span.contains(time)) {
                kept.add(span);
                continue;
            }
            if (time - 1 > span.fromExclusive()) {
                kept.add(new Span(span.fromExclusive(), time - 1));
            }
            if (span.toInclusive() > time) {
                kept.add(new Span(time, span.toInclusive()));
            }
        }
        return new LiveSpans(kept);
    }

    /**
     * These spans plus one more, in time order. Past {@value #MAX} the oldest span is dropped, not merged
     * with the next: what it covered is sent again rather than a gap (a message it missed) covered.
     */
    public LiveSpans plusKeepingGaps(Span span) {
        List<Span> kept = new ArrayList<>(spans);
        if (span.toInclusive() > span.fromExclusive()) {
            kept.add(span);
        }
        kept.sort(java.util.Comparator.comparingLong(Span::fromExclusive));
        while (kept.size() > MAX) {
            kept.remove(0);
        }
        return new LiveSpans(kept);
    }

    /** Only the spans that end after {@code mark}. */
    public LiveSpans after(long mark) {
        return new LiveSpans(spans.stream().filter(s -> s.toInclusive() > mark).toList());
    }

    /** Stored as {@code from-to,from-to}. */
    public String format() {
        return String.join(",", spans.stream().map(s -> s.fromExclusive() + "-" + s.toInclusive()).toList());
    }

    /** Reads {@link #format()}; anything unreadable counts as no spans. */
    public static LiveSpans parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        List<Span> spans = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] ends = part.split("-");
            try {
                spans.add(new Span(Long.parseLong(ends[0].trim()), Long.parseLong(ends[1].trim())));
            } catch (RuntimeException e) {
                return NONE;
            }
        }
        return new LiveSpans(spans);
    }
}
