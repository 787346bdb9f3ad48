package org.xmpproxy.core.settings;

import org.xmpproxy.core.rule.ResourceMode;

/** The server-wide settings the mirroring engine reads on every message (so changes apply at once). */
public interface MirrorConfig {
    boolean enabled();

    Enrollment enrollment();

    /** Precedes the body of a sent message shown to a client without carbons. */
    String legacySentPrefix();

    ResourceMode defaultMode();
}
