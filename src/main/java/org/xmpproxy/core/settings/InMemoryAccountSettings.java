package org.xmpproxy.core.settings;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.ResourceMode;

/** Account choices held in memory: lost on restart (persistence arrives with the store). */
public final class InMemoryAccountSettings implements AccountSettings {
    private final Map<String, Boolean> mirroring = new ConcurrentHashMap<>();
    private final Map<String, Map<String, ResourceMode>> modes = new ConcurrentHashMap<>();

    @Override
    public Optional<Boolean> mirroring(JID account) {
        return Optional.ofNullable(mirroring.get(account.toBareJID()));
    }

    @Override
    public void setMirroring(JID account, boolean on) {
        mirroring.put(account.toBareJID(), on);
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
