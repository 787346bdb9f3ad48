package org.xmpproxy.core.settings;

import java.util.Locale;
import java.util.Optional;

/** Which accounts are mirrored when they have made no choice of their own. */
public enum Enrollment {
    /** Every local account, unless it turned mirroring off. */
    ALL,
    /** Only accounts that turned mirroring on. */
    OPT_IN;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<Enrollment> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (Enrollment enrollment : values()) {
            if (enrollment.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(enrollment);
            }
        }
        return Optional.empty();
    }
}
