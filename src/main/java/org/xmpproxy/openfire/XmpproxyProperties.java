package org.xmpproxy.openfire;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jivesoftware.util.SystemProperty;
import org.xmpproxy.core.settings.Bounds;
import org.xmpproxy.core.rule.ResourceMode;
import org.xmpproxy.core.settings.Enrollment;
import org.xmpproxy.core.settings.MirrorConfig;
import org.xmpproxy.store.HistoryConfig;
import org.xmpproxy.store.StoreWriter;

/**
 * The plugin's settings as Openfire system properties (Server &gt; System Properties, filtered by
 * plugin). They are built when the plugin loads and removed by Openfire when it unloads, so the
 * plugin name must equal {@code <name>} in plugin.xml. Read on every message: changes apply at once.
 */
final class XmpproxyProperties implements MirrorConfig, HistoryConfig {
    /** Must equal {@code <name>} in plugin.xml: Openfire removes the properties by this name on unload. */
    static final String PLUGIN_NAME = "xmpproxy";

    final SystemProperty<Boolean> enabled = SystemProperty.Builder.ofType(Boolean.class)
            .setKey("xmpproxy.enabled").setDefaultValue(true)
            .setDynamic(true).setPlugin(PLUGIN_NAME).build();

    final SystemProperty<String> enrollment = SystemProperty.Builder.ofType(String.class)
            .setKey("xmpproxy.enrollment").setDefaultValue(Enrollment.ALL.label())
            .setDynamic(true).setPlugin(PLUGIN_NAME).build();

    final SystemProperty<String> legacySentPrefix = SystemProperty.Builder.ofType(String.class)
            .setKey("xmpproxy.legacy.sentPrefix").setDefaultValue("[me] ")
            .setDynamic(true).setPlugin(PLUGIN_NAME).build();

    final SystemProperty<String> defaultMode = SystemProperty.Builder.ofType(String.class)
            .setKey("xmpproxy.resource.defaultMode").setDefaultValue(ResourceMode.AUTO.label())
            .setDynamic(true).setPlugin(PLUGIN_NAME).build();

    final SystemProperty<Boolean> historyEnabled = SystemProperty.Builder.ofType(Boolean.class)
            .setKey("xmpproxy.history.enabled").setDefaultValue(true)
            .setDynamic(true).setPlugin(PLUGIN_NAME).build();

    final SystemProperty<Integer> historyMaxPerAccount = SystemProperty.Builder.ofType(Integer.class)
            .setKey("xmpproxy.history.maxPerAccount").setDefaultValue(1000)
            .setMinValue(Bounds.MIN_HISTORY_PER_ACCOUNT).setMaxValue(Bounds.MAX_HISTORY_PER_ACCOUNT)
            .setDynamic(true).setPlugin(PLUGIN_NAME).build();

    final SystemProperty<Duration> historyMaxAge = SystemProperty.Builder.ofType(Duration.class)
            .setKey("xmpproxy.history.maxAge").setDefaultValue(Duration.ofDays(30)).setChronoUnit(ChronoUnit.HOURS)
            .setMinValue(Duration.ZERO).setMaxValue(Duration.ofHours(Bounds.MAX_HISTORY_AGE_HOURS))
            .setDynamic(true).setPlugin(PLUGIN_NAME).build();

    final SystemProperty<Integer> historyMaxStanzaChars = SystemProperty.Builder.ofType(Integer.class)
            .setKey("xmpproxy.history.maxStanzaChars").setDefaultValue(65_536).setMinValue(0).setMaxValue(Bounds.MAX_STANZA_CHARS)
            .setDynamic(true).setPlugin(PLUGIN_NAME).build();

    final SystemProperty<Integer> catchupMaxCount = SystemProperty.Builder.ofType(Integer.class)
            .setKey("xmpproxy.catchup.maxCount").setDefaultValue(500).setMinValue(0).setMaxValue(Bounds.MAX_CATCHUP_COUNT)
            .setDynamic(true).setPlugin(PLUGIN_NAME).build();

    final SystemProperty<Duration> catchupMaxAge = SystemProperty.Builder.ofType(Duration.class)
            .setKey("xmpproxy.catchup.maxAge").setDefaultValue(Duration.ofHours(24)).setChronoUnit(ChronoUnit.HOURS)
            .setMinValue(Duration.ZERO).setMaxValue(Duration.ofHours(Bounds.MAX_CATCHUP_AGE_HOURS))
            .setDynamic(true).setPlugin(PLUGIN_NAME).build();

    final SystemProperty<Integer> catchupNewResourceCount = SystemProperty.Builder.ofType(Integer.class)
            .setKey("xmpproxy.catchup.newResourceCount").setDefaultValue(0).setMinValue(0).setMaxValue(Bounds.MAX_CATCHUP_COUNT)
            .setDynamic(true).setPlugin(PLUGIN_NAME).build();

    final SystemProperty<Integer> replayDefault = SystemProperty.Builder.ofType(Integer.class)
            .setKey("xmpproxy.replay.default").setDefaultValue(20).setMinValue(1).setMaxValue(Bounds.MAX_REPLAY)
            .setDynamic(true).setPlugin(PLUGIN_NAME).build();

    final SystemProperty<Integer> replayMaximum = SystemProperty.Builder.ofType(Integer.class)
            .setKey("xmpproxy.replay.max").setDefaultValue(200).setMinValue(1).setMaxValue(Bounds.MAX_REPLAY)
            .setDynamic(true).setPlugin(PLUGIN_NAME).build();

    /** Resources not seen for this many days are forgotten (their catch-up marks; explicit modes stay). */
    final SystemProperty<Integer> resourceMaxIdleDays = SystemProperty.Builder.ofType(Integer.class)
            .setKey("xmpproxy.resource.maxIdleDays").setDefaultValue(Bounds.DEFAULT_RESOURCE_MAX_IDLE_DAYS)
            .setMinValue(1).setMaxValue(Bounds.MAX_RESOURCE_MAX_IDLE_DAYS)
            .setDynamic(true).setPlugin(PLUGIN_NAME).build();

    /** Beyond this many resources of one account, the least recently seen are forgotten. */
    final SystemProperty<Integer> resourceMaxPerAccount = SystemProperty.Builder.ofType(Integer.class)
            .setKey("xmpproxy.resource.maxPerAccount").setDefaultValue(Bounds.DEFAULT_RESOURCES_PER_ACCOUNT)
            .setMinValue(1).setMaxValue(Bounds.MAX_RESOURCES_PER_ACCOUNT)
            .setDynamic(true).setPlugin(PLUGIN_NAME).build();

    /** Read when the plugin starts: the bot is registered under it. */
    final SystemProperty<String> botSubdomain = SystemProperty.Builder.ofType(String.class)
            .setKey("xmpproxy.bot.subdomain").setDefaultValue("xmpproxy")
            .setDynamic(false).setPlugin(PLUGIN_NAME).build();

    final SystemProperty<Boolean> botRosterAutoAdd = SystemProperty.Builder.ofType(Boolean.class)
            .setKey("xmpproxy.bot.rosterAutoAdd").setDefaultValue(true)
            .setDynamic(true).setPlugin(PLUGIN_NAME).build();

    /** Read when the plugin starts: the queue is created once. */
    final SystemProperty<Integer> storeQueueCapacity = SystemProperty.Builder.ofType(Integer.class)
            .setKey("xmpproxy.store.queueCapacity").setDefaultValue(10_000).setMinValue(100)
            .setDynamic(false).setPlugin(PLUGIN_NAME).build();

    /** Read at every offer: a change applies at once (what is already queued stays). */
    final SystemProperty<Integer> storeQueueMegabytes = SystemProperty.Builder.ofType(Integer.class)
            .setKey("xmpproxy.store.queueMegabytes").setDefaultValue((int) (StoreWriter.DEFAULT_MAX_BYTES >> 20)).setMinValue(1)
            .setDynamic(true).setPlugin(PLUGIN_NAME).build();

    /** Every property by key, for the admin page. */
    Map<String, SystemProperty<?>> byKey() {
        Map<String, SystemProperty<?>> all = new LinkedHashMap<>();
        for (SystemProperty<?> property : List.of(enabled, enrollment, legacySentPrefix, defaultMode, historyEnabled,
                historyMaxPerAccount, historyMaxAge, historyMaxStanzaChars, catchupMaxCount, catchupMaxAge,
                catchupNewResourceCount, replayDefault, replayMaximum, resourceMaxIdleDays, resourceMaxPerAccount,
                botSubdomain, botRosterAutoAdd, storeQueueCapacity, storeQueueMegabytes)) {
            all.put(property.getKey(), property);
        }
        return all;
    }

    /** A value as the admin page shows it: durations in hours. */
    static String display(Object value) {
        return value instanceof Duration duration ? Long.toString(duration.toHours()) : String.valueOf(value);
    }

    /** Sets a property from text already checked by the admin page, in the property's own type. */
    @SuppressWarnings("unchecked")
    static void setFromText(SystemProperty<?> property, String text) {
        Object current = property.getDefaultValue();
        if (current instanceof Boolean) {
            ((SystemProperty<Boolean>) property).setValue(Boolean.valueOf(text));
        } else if (current instanceof Integer) {
            ((SystemProperty<Integer>) property).setValue(Integer.valueOf(text));
        } else if (current instanceof Duration) {
            ((SystemProperty<Duration>) property).setValue(Duration.ofHours(Long.parseLong(text)));
        } else {
            ((SystemProperty<String>) property).setValue(text);
        }
    }

    @Override
    public boolean enabled() {
        return Boolean.TRUE.equals(enabled.getValue());
    }

    /** An unreadable value falls back to the default rather than stopping mirroring. */
    @Override
    public Enrollment enrollment() {
        return Enrollment.parse(enrollment.getValue()).orElse(Enrollment.ALL);
    }

    @Override
    public String legacySentPrefix() {
        String prefix = legacySentPrefix.getValue();
        return prefix == null ? "" : prefix;
    }

    @Override
    public ResourceMode defaultMode() {
        return ResourceMode.parse(defaultMode.getValue()).orElse(ResourceMode.AUTO);
    }

    @Override
    public boolean enabledByDefault() {
        return Boolean.TRUE.equals(historyEnabled.getValue());
    }

    @Override
    public int maxStanzaChars() {
        return Bounds.clamp(historyMaxStanzaChars.getValue(), 0, Bounds.MAX_STANZA_CHARS);
    }

    /** The write queue's memory bound in bytes. */
    long storeQueueMaxBytes() {
        Integer megabytes = storeQueueMegabytes.getValue();
        return megabytes == null ? StoreWriter.DEFAULT_MAX_BYTES : megabytes * 1024L * 1024L;
    }

    @Override
    public int maxPerAccount() {
        return Bounds.clamp(historyMaxPerAccount.getValue(), Bounds.MIN_HISTORY_PER_ACCOUNT, Bounds.MAX_HISTORY_PER_ACCOUNT);
    }

    int catchupMaxCount() {
        return Bounds.clamp(catchupMaxCount.getValue(), 0, Bounds.MAX_CATCHUP_COUNT);
    }

    int catchupNewResourceCount() {
        return Bounds.clamp(catchupNewResourceCount.getValue(), 0, Bounds.MAX_CATCHUP_COUNT);
    }

    /** The replay count when none is given: never above the maximum, whatever was stored. */
    int replayDefault() {
        return Bounds.replayDefault(replayDefault.getValue(), replayMaximum.getValue());
    }

    int replayMaximum() {
        return Bounds.clamp(replayMaximum.getValue(), 1, Bounds.MAX_REPLAY);
    }

    Duration resourceMaxIdle() {
        return Duration.ofDays(Bounds.clamp(resourceMaxIdleDays.getValue(), 1, Bounds.MAX_RESOURCE_MAX_IDLE_DAYS));
    }

    int resourceMaxPerAccount() {
        return Bounds.clamp(resourceMaxPerAccount.getValue(), 1, Bounds.MAX_RESOURCES_PER_ACCOUNT);
    }

    @Override
    public Duration maxAge() {
        return historyMaxAge.getValue();
    }
}
