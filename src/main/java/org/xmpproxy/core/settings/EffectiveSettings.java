package org.xmpproxy.core.settings;

import java.time.Duration;
import java.util.Optional;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.ResourceMode;

/**
 * The one answer to "what does this account get": for every per-account setting, the account's own
 * choice, bounded as the server's own value is (never above the server maximum of {@link Bounds}, whatever
 * a row holds), else the server's default; while the stored choices are unknown, the setting's
 * {@link AccountSetting#whileUnknown} value. A view: nothing is kept here, each call reads the
 * current choices and settings (on the packet path too: memory only, no I/O).
 */
public final class EffectiveSettings {
    private final AccountSettings accounts;
    private final ServerSettings server;

    public EffectiveSettings(AccountSettings accounts, ServerSettings server) {
        this.accounts = accounts;
        this.server = server;
    }

    public <T> T value(JID account, AccountSetting<T> setting) {
        Optional<T> own = accounts.own(account, setting);
        if (own.isPresent()) {
            return setting.bounded(own.get());
        }
        if (setting.whileUnknown() != null && !accounts.choicesKnown()) {
            return setting.whileUnknown();
        }
        return setting.serverDefault(server);
    }

    /** The account's own choice, bounded as it is used; empty when it follows the server. */
    public <T> Optional<T> own(JID account, AccountSetting<T> setting) {
        return accounts.own(account, setting).map(setting::bounded);
    }

    /** Whether the account is mirrored (and its history may be recorded). */
    public boolean mirroring(JID account) {
        return value(account, Settings.MIRRORING);
    }

    /** Whether the account's messages are kept in the history. */
    public boolean history(JID account) {
        return value(account, Settings.HISTORY);
    }

    /** The most messages one catch-up of the account sends. */
    public int catchupCount(JID account) {
        return value(account, Settings.CATCHUP_COUNT);
    }

    /** How far back one catch-up of the account reaches. */
    public Duration catchupAge(JID account) {
        return value(account, Settings.CATCHUP_AGE);
    }

    /** How a resource of the account gets its copies: its chosen mode, else the server's default mode. */
    public ResourceMode mode(JID account, String resource) {
        Optional<ResourceMode> own = accounts.mode(account, resource);
        return own.isPresent() ? own.get() : Settings.defaultMode(server);
    }
}
