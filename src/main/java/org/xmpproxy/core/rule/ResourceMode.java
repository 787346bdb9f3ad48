package org.xmpproxy.core.rule;

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

    /** The mode's name as users type it: {@code auto}, {@code legacy}, {@code carbons}, {@code off} (see {@link Label}). */
    public String label() {
        return Label.of(this);
    }

    public static Optional<ResourceMode> parse(String text) {
        return Label.parse(ResourceMode.class, text);
    }
}
