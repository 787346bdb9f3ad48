package org.xmpproxy.core.settings;

/** The server-wide settings' current values (Openfire's system properties in the plugin). */
public interface ServerSettings {
    /** The setting's value now: never null, numbers and durations within the setting's bounds. */
    <T> T get(Setting<T> setting);
}
