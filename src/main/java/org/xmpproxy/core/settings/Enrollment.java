package org.xmpproxy.core.settings;

import java.util.Optional;
import org.xmpproxy.core.rule.Label;

/** Which accounts are mirrored when they have made no choice of their own. */
public enum Enrollment {
    /** Every local account, unless it turned mirroring off. */
    ALL,
    /** Only accounts that turned mirroring on. */
    OPT_IN;

    /** {@code all}, {@code opt-in} (see {@link Label}). */
    public String label() {
        return Label.of(this);
    }

    public static Optional<Enrollment> parse(String text) {
        return Label.parse(Enrollment.class, text);
    }
}
