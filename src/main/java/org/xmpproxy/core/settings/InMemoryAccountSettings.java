package org.xmpproxy.core.settings;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.ResourceMode;

/** Account choices held in memory, for tests: lost on restart. */
public final class InMemoryAccountSettings implements AccountSettings {
    private final Map<String, Map<String, Object>> choices = new ConcurrentHashMap<>();
    private final Map<String, Map<String, ResourceMode>> modes = new ConcurrentHashMap<>();

    @Override
    public <T> Optional<T> own(JID account, AccountSetting<T> setting) {
        Map<String, Object> byKey = choices.get(account.toBareJID());
        return byKey == null ? Optional.empty() : Optional.ofNullable(byKey.get(setting.key())).map(setting.type()::cast);
    }

    @Override
    public <T> void set(JID account, AccountSetting<T> setting, T value) {
        Map<String, Object> byKey = choices.computeIfAbsent(account.toBareJID(), key -> new ConcurrentHashMap<>());
        if (value == null) {
            byKey.remove(setting.key());
        } else {
            byKey.put(setting.key(), value);
        }
    }

    @Override
    public Optional<ResourceMode> mode(JID account, String resource) {
        Map<String, ResourceMode> byResource = modes.get(account.toBareJID());
        return byResource == null ? Optional.empty() : Optional.ofNullable(byResource.get(resource));
    }

    @Override
    public void setMode(JID account, String resource, ResourceMode mode) {
        modes.computeIfAbsent(account.toBareJID(), key -> new ConcurrentHashMap<>()).put(resource, mode);
    }
}
