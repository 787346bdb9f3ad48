package org.xmpproxy.core.settings;

import org.xmpproxy.core.rule.OwnLines;
import org.xmpproxy.core.rule.ResourceMode;

/** The server-wide settings the mirroring engine reads on every message (so changes apply at once). */
public interface MirrorConfig extends ServerSettings {
    default boolean enabled() {
        return get(Settings.ENABLED);
    }

    default Enrollment enrollment() {
        return Settings.enrollment(this);
    }

    /**
     * Precedes the body of a sent message shown to a client without carbons. One that cannot tell the account's
     * lines from the peer's (empty, invisible, or starting as a contact's marked line does: {@link OwnLines}),
     * set on Openfire's own System Properties page, which does not check it, is not used: the default is.
     */
    default String legacySentPrefix() {
        String prefix = get(Settings.LEGACY_SENT_PREFIX);
        return OwnLines.isUsablePrefix(prefix) ? prefix : Settings.LEGACY_SENT_PREFIX.defaultValue();
    }

    default ResourceMode defaultMode() {
        return Settings.defaultMode(this);
    }
}
