package org.xmpproxy.core.settings;

import java.util.Optional;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.ResourceMode;

/** What each account chose for itself. Empty means "no choice made: follow the server default". */
public interface AccountSettings {
    Optional<Boolean> mirroring(JID account);

    void setMirroring(JID account, boolean on);

    Optional<ResourceMode> mode(JID account, String resource);

    void setMode(JID account, String resource, ResourceMode mode);

    /**
     * Whether every account's stored choices are known. False while they could not be read (the
     * database was down when the plugin started): then an account without a choice in
     * {@link #mirroring} may be one that opted out.
     */
    default boolean choicesKnown() {
        return true;
    }
}
