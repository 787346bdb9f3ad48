package org.xmpproxy.core.flow;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.xmpproxy.core.settings.Enrollment;
import org.xmpproxy.core.settings.MirrorConfig;
import org.xmpproxy.core.settings.Setting;
import org.xmpproxy.core.settings.Settings;

/** Server-wide settings for tests and benchmarks: the defaults; enabled and enrollment may change while running. */
public record FixedMirrorConfig(BooleanSupplier enabledNow, Supplier<Enrollment> enrollmentNow) implements MirrorConfig {
    public static FixedMirrorConfig defaults() {
        return new FixedMirrorConfig(() -> true, () -> Enrollment.ALL);
    }

    @Override
    public <T> T get(Setting<T> setting) {
        if (setting == Settings.ENABLED) {
            return setting.type().cast(enabledNow.getAsBoolean());
        }
        if (setting == Settings.ENROLLMENT) {
            return setting.type().cast(enrollmentNow.get().label());
        }
        return setting.defaultValue();
    }

    @Override
    public boolean enabled() {
        return enabledNow.getAsBoolean();
    }

    @Override
    public Enrollment enrollment() {
        return enrollmentNow.get();
    }
}
