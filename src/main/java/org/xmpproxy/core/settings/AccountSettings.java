package org.xmpproxy.core.settings;

import java.util.Optional;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.ResourceMode;

/**
 * What each account chose for itself. Empty means "no choice made: follow the server default". The
 * value an account gets, its own choice or the server's default, is {@link EffectiveSettings}'s to say.
 */
public interface AccountSettings {
    /** The account's own choice of a per-account setting ({@link Settings#ACCOUNT}), as stored. */
    <T> Optional<T> own(JID account, AccountSetting<T> setting);

    /** Sets the account's own choice; null drops it, and the account follows the server default again. */
    <T> void set(JID account, AccountSetting<T> setting, T value);

    default Optional<Boolean> mirroring(JID account) {
        return own(account, Settings.MIRRORING);
    }

    default void setMirroring(JID account, boolean on) {
        set(account, Settings.MIRRORING, on);
    }

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
