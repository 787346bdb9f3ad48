package org.xmpproxy.openfire;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jivesoftware.util.SystemProperty;
import org.xmpproxy.core.settings.Bounds;
import org.xmpproxy.core.settings.KeptServerSettings;
import org.xmpproxy.core.settings.MirrorConfig;
import org.xmpproxy.core.settings.Setting;
import org.xmpproxy.core.settings.Settings;
import org.xmpproxy.store.HistoryConfig;

/**
 * The plugin's settings ({@link Settings#SERVER}) as Openfire system properties (Server &gt; System
 * Properties, filtered by plugin). They are built when the plugin loads and removed by Openfire when it
 * unloads, so the plugin name must equal {@code <name>} in plugin.xml. Read on every message, from values
 * kept until Openfire reports the property set or deleted: changes apply at once.
 */
final class XmpproxyProperties implements MirrorConfig, HistoryConfig {
    /** Must equal {@code <name>} in plugin.xml: Openfire removes the properties by this name on unload. */
    static final String PLUGIN_NAME = "xmpproxy";

    /** By setting (identity: a setting is a record, hashed over all its parts), and by key for the admin page. */
    private final Map<Setting<?>, SystemProperty<?>> properties = new IdentityHashMap<>();
    private final Map<String, Setting<?>> byKey = new LinkedHashMap<>();
    private final KeptServerSettings kept = new KeptServerSettings(this::read);

    XmpproxyProperties() {
        for (Setting<?> setting : Settings.SERVER) {
            SystemProperty<?> property = build(setting);
            // Openfire calls it when the property is set or deleted, from any page or plugin, before the setter returns.
            property.addListener(value -> kept.changed(setting));
            properties.put(setting, property);
            byKey.put(setting.key(), setting);
        }
    }

    /** A system property with the setting's key, type, default, bounds and dynamic flag. */
    private static <T> SystemProperty<T> build(Setting<T> setting) {
        SystemProperty.Builder<T> builder = SystemProperty.Builder.ofType(setting.type()).setKey(setting.key())
                .setDefaultValue(setting.defaultValue()).setDynamic(setting.dynamic()).setPlugin(PLUGIN_NAME);
        if (setting.secret()) {
            builder.setEncrypted(true);
        }
        switch (setting.kind()) {
            case NUMBER -> {
                builder.setMinValue(setting.type().cast((int) setting.min()));
                if (setting.max() < Integer.MAX_VALUE) {
                    builder.setMaxValue(setting.type().cast((int) setting.max()));
                }
            }
            case HOURS -> builder.setChronoUnit(ChronoUnit.HOURS)
                    .setMinValue(setting.type().cast(Duration.ofHours(setting.min())))
                    .setMaxValue(setting.type().cast(Duration.ofHours(setting.max())));
            default -> {
                // booleans, choices and text: Openfire has no bounds for them; the admin page checks them
            }
        }
        return builder.build();
    }

    /** The setting's value now, within its bounds whatever was stored. */
    @Override
    public <T> T get(Setting<T> setting) {
        return kept.get(setting);
    }

    /** Parses the stored text, as Openfire does on every read of a property. */
    @SuppressWarnings("unchecked")
    private <T> T read(Setting<T> setting) {
        return setting.bounded(((SystemProperty<T>) properties.get(setting)).getValue());
    }

    /** The setting of a key, for the admin page. */
    Setting<?> setting(String key) {
        Setting<?> setting = byKey.get(key);
        if (setting == null) {
            throw new IllegalArgumentException("no xmpproxy setting " + key);
        }
        return setting;
    }

    /** A value as the admin page shows it, as stored (hours for durations). */
    String display(String key) {
        Setting<?> setting = setting(key);
        return setting.format(properties.get(setting).getValue());
    }

    String displayDefault(String key) {
        Setting<?> setting = setting(key);
        return setting.format(setting.defaultValue());
    }

    /** Sets a property from text already checked by the admin page, in the property's own type. */
    void setFromText(String key, String text) {
        set(setting(key), text);
    }

    @SuppressWarnings("unchecked")
    private <T> void set(Setting<T> setting, String text) {
        ((SystemProperty<T>) properties.get(setting)).setValue(setting.parse(text));
    }

    /** The write queue's memory bound in bytes. */
    long storeQueueMaxBytes() {
        return get(Settings.STORE_QUEUE_MEGABYTES) * 1024L * 1024L;
    }

    /** The replay count when none is given: never above the maximum, whatever was stored. */
    int replayDefault() {
        return Bounds.replayDefault(get(Settings.REPLAY_DEFAULT), get(Settings.REPLAY_MAX));
    }

    int replayMaximum() {
        return get(Settings.REPLAY_MAX);
    }

    Duration resourceMaxIdle() {
        return Duration.ofDays(get(Settings.RESOURCE_MAX_IDLE_DAYS));
    }

    int resourceMaxPerAccount() {
        return get(Settings.RESOURCE_MAX_PER_ACCOUNT);
    }
}
