package org.xmpproxy.openfire.e2e;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the end-to-end tests expect a client to show, in the form {@code ConversationView.counts} gives it. */
final class Shown {
    private Shown() {
    }

    /** Each of {@code ids} once, in order. */
    static Map<String, Integer> once(List<String> ids) {
        Map<String, Integer> expected = new LinkedHashMap<>();
        ids.forEach(id -> expected.put(id, 1));
        return expected;
    }

    /** The counts of {@code ids} only (a client may show other tests' messages too, caught up). */
    static Map<String, Integer> onlyOf(List<String> ids, Map<String, Integer> counts) {
        Map<String, Integer> kept = new LinkedHashMap<>(counts);
        kept.keySet().retainAll(ids);
        return kept;
    }
}
