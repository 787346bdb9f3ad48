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
}
