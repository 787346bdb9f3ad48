package org.xmpproxy.core.settings;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.xmpproxy.core.rule.Label;

/**
 * One server-wide setting, defined once: its key (the Openfire system property, and the i18n keys
 * {@code system_property.<key>} and, on the admin page, {@code admin.setting.<key>}), its kind, default,
 * bounds and options. {@code openfire/XmpproxyProperties} makes an Openfire system property of each,
 * {@code admin/SettingDefinition} a field of the admin page. Every one is in {@link Settings#SERVER}.
 *
 * @param min      numbers: the least value; text: 0; a subdomain: its least length
 * @param max      numbers: the greatest value ({@link Bounds}); text and subdomain: the longest
 * @param options  the values a choice or a boolean accepts, as typed
 * @param dynamic  whether a change applies at once (else when the plugin restarts)
 * @param onPage   whether the admin page shows it (every setting is on Openfire's System Properties page)
 * @param secret   whether Openfire keeps it encrypted (and its System Properties page masks it)
 */
public record Setting<T>(String key, Kind kind, T defaultValue, long min, long max, List<String> options,
                         boolean dynamic, boolean onPage, boolean secret) {

    /** What a setting holds, how it is written as text and how its bounds apply. */
    public enum Kind {
        BOOLEAN(Boolean.class),
        /** A whole number between min and max. */
        NUMBER(Integer.class),
        /** A duration, typed and shown in whole hours, between min and max hours. */
        HOURS(Duration.class),
        /** One of the options (an enum's {@link Label labels}). */
        CHOICE(String.class),
        /** Free text of at most max characters. */
        TEXT(String.class),
        /** A DNS label. */
        SUBDOMAIN(String.class);

        private final Class<?> type;

        Kind(Class<?> type) {
            this.type = type;
        }

        public Class<?> type() {
            return type;
        }

        /** A value as text, as users read and type it: durations in hours. */
        public String format(Object value) {
            return value instanceof Duration duration ? Long.toString(duration.toHours()) : String.valueOf(value);
        }

        /** Text that passed its checks (the admin page's, the bot's) as a value. */
        public Object parse(String text) {
            return switch (this) {
                case BOOLEAN -> Boolean.valueOf(text.trim().toLowerCase(Locale.ROOT));
                case NUMBER -> Integer.valueOf(text.trim());
                case HOURS -> Duration.ofHours(Long.parseLong(text.trim()));
                case CHOICE, SUBDOMAIN -> text.trim().toLowerCase(Locale.ROOT);
                case TEXT -> text;
            };
        }

        /** A value as used: numbers and durations within the bounds, whatever was stored. */
        public Object bound(Object value, long min, long max) {
            return switch (this) {
                case NUMBER -> (int) Math.max(min, Math.min(max, ((Number) value).longValue()));
                case HOURS -> {
                    Duration duration = (Duration) value;
                    Duration least = Duration.ofHours(min);
                    Duration most = Duration.ofHours(max);
                    yield duration.compareTo(least) < 0 ? least : duration.compareTo(most) > 0 ? most : duration;
                }
                default -> value;
            };
        }
    }

    public Setting {
        options = List.copyOf(options);
    }

    static Setting<Boolean> bool(String key, boolean defaultValue) {
        return new Setting<>(key, Kind.BOOLEAN, defaultValue, 0, 0, List.of("true", "false"), true, true, false);
    }

    static Setting<Integer> number(String key, int defaultValue, int min, int max) {
        return new Setting<>(key, Kind.NUMBER, defaultValue, min, max, List.of(), true, true, false);
    }

    static Setting<Duration> hours(String key, Duration defaultValue, int maxHours) {
        return new Setting<>(key, Kind.HOURS, defaultValue, 0, maxHours, List.of(), true, true, false);
    }

    /** A choice among an enum's labels; stored and shown as the label. */
    static <E extends Enum<E>> Setting<String> choice(String key, E defaultValue) {
        return new Setting<>(key, Kind.CHOICE, Label.of(defaultValue), 0, 0, Label.all(defaultValue.getDeclaringClass()), true, true, false);
    }

    static Setting<String> text(String key, String defaultValue, int maxLength) {
        return new Setting<>(key, Kind.TEXT, defaultValue, 0, maxLength, List.of(), true, true, false);
    }

    static Setting<String> subdomain(String key, String defaultValue) {
        return new Setting<>(key, Kind.SUBDOMAIN, defaultValue, 1, 63, List.of(), true, true, false);
    }

    /** Read when the plugin starts: a change applies at the next start. */
    Setting<T> atRestart() {
        return new Setting<>(key, kind, defaultValue, min, max, options, false, onPage, secret);
    }

    /** Only on Openfire's System Properties page, not on the plugin's. */
    Setting<T> notOnPage() {
        return new Setting<>(key, kind, defaultValue, min, max, options, dynamic, false, secret);
    }

    /** Kept encrypted by Openfire, never shown by the plugin. */
    Setting<T> secretValue() {
        return new Setting<>(key, kind, defaultValue, min, max, options, dynamic, false, true);
    }

    /** The type of the system property: Boolean, Integer, Duration or String. */
    @SuppressWarnings("unchecked")
    public Class<T> type() {
        return (Class<T>) kind.type();
    }

    /**
     * A stored value as it is used: the default for none, numbers and durations within the bounds
     * (a value stored by an older version, or typed on Openfire's own page, is never used outside them).
     */
    public T bounded(Object stored) {
        if (stored == null) {
            return kind == Kind.TEXT ? type().cast("") : defaultValue;
        }
        return type().cast(kind.bound(stored, min, max));
    }

    /** A value as the admin page shows it (hours for durations). */
    public String format(Object value) {
        return kind.format(value);
    }

    /** Text the admin page checked, as a value of this setting. */
    public T parse(String text) {
        return type().cast(kind.parse(text));
    }
}
