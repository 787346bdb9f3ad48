package org.xmpproxy.core.rule;

import java.util.Locale;
import java.util.Optional;

/** How one resource of an account wants its copies. */
public enum ResourceMode {
    /** Native carbons if the client enabled them, else the legacy form. */
    AUTO,
    /** Always the legacy form (copies that look like ordinary messages). */
    LEGACY,
    /** XEP-0280 {@code <sent/>}/{@code <received/>} wrappers, even without {@code <enable/>}. */
    CARBONS,
    /** No copies at all. */
    OFF;

    /** The mode's name as users type it: {@code auto}, {@code legacy}, {@code carbons}, {@code off}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ResourceMode> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (ResourceMode mode : values()) {
            if (mode.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
