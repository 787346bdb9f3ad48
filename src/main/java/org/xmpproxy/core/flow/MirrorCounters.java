package org.xmpproxy.core.flow;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.xmpproxy.core.rule.CopyForm;

/** Counts since start: copies delivered by form, and copies that failed to deliver. */
public final class MirrorCounters {
    private final Map<CopyForm, LongAdder> delivered = new EnumMap<>(CopyForm.class);
    private final LongAdder failures = new LongAdder();

    public MirrorCounters() {
        for (CopyForm form : CopyForm.values()) {
            delivered.put(form, new LongAdder());
        }
    }

    void delivered(CopyForm form) {
        delivered.get(form).increment();
    }

    void failed() {
        failures.increment();
    }

    public long copiesDelivered(CopyForm form) {
        return delivered.get(form).sum();
    }

    public long copiesDelivered() {
        return delivered.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long failures() {
        return failures.sum();
    }
}
