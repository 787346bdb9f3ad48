package org.xmpproxy.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.xmpproxy.core.settings.Bounds;

/**
 * One global setting as the admin page shows and checks it: its system property key, its kind, the
 * values it accepts. {@link #check} is the single place a value typed by an admin is validated.
 */
public record SettingDefinition(String key, Kind kind, List<String> options, long min, long max) {
    public enum Kind { BOOLEAN, CHOICE, NUMBER, TEXT, SUBDOMAIN }

    /** Why a value was refused: an i18n key and its argument. */
    public record Problem(String messageKey, Object argument) {
    }

    static SettingDefinition bool(String key) {
        return new SettingDefinition(key, Kind.BOOLEAN, List.of("true", "false"), 0, 0);
    }

    static SettingDefinition choice(String key, String... options) {
        return new SettingDefinition(key, Kind.CHOICE, List.of(options), 0, 0);
    }

    static SettingDefinition number(String key, long min, long max) {
        return new SettingDefinition(key, Kind.NUMBER, List.of(), min, max);
    }

    static SettingDefinition text(String key, int maxLength) {
        return new SettingDefinition(key, Kind.TEXT, List.of(), 0, maxLength);
    }

    static SettingDefinition subdomain(String key) {
        return new SettingDefinition(key, Kind.SUBDOMAIN, List.of(), 1, 63);
    }

    /** The value to store, normalised, or why it is refused. */
    public Optional<Problem> check(String raw) {
        String value = raw == null ? "" : raw;
        switch (kind) {
            case BOOLEAN, CHOICE -> {
                return options.contains(value.trim().toLowerCase(Locale.ROOT)) ? Optional.empty()
                        : Optional.of(new Problem("admin.error.choice", String.join(", ", options)));
            }
            case NUMBER -> {
                String digits = value.trim();
                if (!digits.matches("\\d{1,12}")) {
                    return Optional.of(new Problem("admin.error.number", min + "-" + max));
                }
                long number = Long.parseLong(digits);
                return number < min || number > max ? Optional.of(new Problem("admin.error.number", min + "-" + max)) : Optional.empty();
            }
            case TEXT -> {
                if (value.length() > max) {
                    return Optional.of(new Problem("admin.error.length", max));
                }
                return value.codePoints().anyMatch(Character::isISOControl)
                        ? Optional.of(new Problem("admin.error.control", "")) : Optional.empty();
            }
            case SUBDOMAIN -> {
                return value.trim().matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?") ? Optional.empty()
                        : Optional.of(new Problem("admin.error.subdomain", ""));
            }
            default -> throw new IllegalStateException(kind.name());
        }
    }

    /** The value as stored, once {@link #check} passed. */
    public String normalise(String raw) {
        return switch (kind) {
            case BOOLEAN, CHOICE, NUMBER, SUBDOMAIN -> raw.trim().toLowerCase(Locale.ROOT);
            case TEXT -> raw;
        };
    }

    /** Every global setting, in the order the page shows them. Numeric bounds: see {@link Bounds}. */
    public static final List<SettingDefinition> ALL = List.of(
            bool("xmpproxy.enabled"),
            choice("xmpproxy.enrollment", "all", "opt-in"),
            choice("xmpproxy.resource.defaultMode", "auto", "legacy", "carbons", "off"),
            text("xmpproxy.legacy.sentPrefix", 64),
            number("xmpproxy.catchup.maxCount", 0, Bounds.MAX_CATCHUP_COUNT),
            number("xmpproxy.catchup.maxAge", 0, Bounds.MAX_CATCHUP_AGE_HOURS),
            number("xmpproxy.catchup.newResourceCount", 0, Bounds.MAX_CATCHUP_COUNT),
            bool("xmpproxy.history.enabled"),
            number("xmpproxy.history.maxPerAccount", Bounds.MIN_HISTORY_PER_ACCOUNT, Bounds.MAX_HISTORY_PER_ACCOUNT),
            number("xmpproxy.history.maxAge", 0, Bounds.MAX_HISTORY_AGE_HOURS),
            number("xmpproxy.history.maxStanzaChars", 0, Bounds.MAX_STANZA_CHARS),
            number("xmpproxy.replay.default", 1, Bounds.MAX_REPLAY),
            number("xmpproxy.replay.max", 1, Bounds.MAX_REPLAY),
            number("xmpproxy.resource.maxIdleDays", 1, Bounds.MAX_RESOURCE_MAX_IDLE_DAYS),
            number("xmpproxy.resource.maxPerAccount", 1, Bounds.MAX_RESOURCES_PER_ACCOUNT),
            subdomain("xmpproxy.bot.subdomain"),
            bool("xmpproxy.bot.rosterAutoAdd"));

    /**
     * What no single field can tell: the replay default must not exceed the replay maximum.
     *
     * @param valueOf each setting's value as it would be stored (what was entered, else the current value);
     *                only called for settings whose own check passed
     * @return the problems, by the key of the field they are shown at
     */
    public static Map<String, Problem> checkTogether(Function<String, String> valueOf) {
        Map<String, Problem> problems = new LinkedHashMap<>();
        long replayDefault = Long.parseLong(valueOf.apply("xmpproxy.replay.default").trim());
        long replayMax = Long.parseLong(valueOf.apply("xmpproxy.replay.max").trim());
        if (replayDefault > replayMax) {
            problems.put("xmpproxy.replay.default", new Problem("admin.error.replayDefault", replayMax));
        }
        return problems;
    }

    public static Optional<SettingDefinition> byKey(String key) {
        return ALL.stream().filter(d -> d.key().equals(key)).findFirst();
    }
}
