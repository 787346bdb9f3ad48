package org.xmpproxy.core.settings;

import org.xmpproxy.core.rule.ResourceMode;

/** The server-wide settings the mirroring engine reads on every message (so changes apply at once). */
public interface MirrorConfig extends ServerSettings {
    default boolean enabled() {
        return get(Settings.ENABLED);
    }

    default Enrollment enrollment() {
        return Settings.enrollment(this);
    }

    /** Precedes the body of a sent message shown to a client without carbons. */
    default String legacySentPrefix() {
        return get(Settings.LEGACY_SENT_PREFIX);
    }

    default ResourceMode defaultMode() {
        return Settings.defaultMode(this);
    }
}
