package org.xmpproxy.core.flow;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.xmpproxy.core.rule.ResourceMode;
import org.xmpproxy.core.settings.Enrollment;
import org.xmpproxy.core.settings.MirrorConfig;

/** Server-wide settings for tests and benchmarks; enabled and enrollment may change while running. */
public record FixedMirrorConfig(BooleanSupplier enabledNow, Supplier<Enrollment> enrollmentNow) implements MirrorConfig {
    public static FixedMirrorConfig defaults() {
        return new FixedMirrorConfig(() -> true, () -> Enrollment.ALL);
    }

    @Override
    public boolean enabled() {
        return enabledNow.getAsBoolean();
    }

    @Override
    public Enrollment enrollment() {
        return enrollmentNow.get();
    }

    @Override
    public String legacySentPrefix() {
        return "[me] ";
    }

    @Override
    public ResourceMode defaultMode() {
        return ResourceMode.AUTO;
    }
}
