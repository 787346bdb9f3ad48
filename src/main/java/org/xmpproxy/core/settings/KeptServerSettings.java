package org.xmpproxy.core.settings;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The server settings' values, each read once from its source and kept until the source says it changed.
 * The packet path reads several settings per message, and Openfire parses a property's text on every read
 * of it. A change takes effect with the next read after {@link #changed} (Openfire calls it as it sets or
 * deletes the property, before its setter returns).
 */
public final class KeptServerSettings implements ServerSettings {
    private final ServerSettings source;
    /** By key: unique, and a string caches its hash (a setting is a record, whose hash is computed over all its parts). */
    private final ConcurrentHashMap<String, Object> kept = new ConcurrentHashMap<>();

    public KeptServerSettings(ServerSettings source) {
        this.source = source;
    }

    @Override
    public <T> T get(Setting<T> setting) {
        // computeIfAbsent holds the key while it reads: a changed() meanwhile waits, then drops what it read.
        return setting.type().cast(kept.computeIfAbsent(setting.key(), key -> source.get(setting)));
    }

    /** The setting's stored value changed: the next read takes it from the source. */
    public void changed(Setting<?> setting) {
        kept.remove(setting.key());
    }
}
