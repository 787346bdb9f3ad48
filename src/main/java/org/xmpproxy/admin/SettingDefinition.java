package org.xmpproxy.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.xmpproxy.core.settings.Bounds;
import org.xmpproxy.core.settings.Setting;
import org.xmpproxy.core.settings.Settings;

/**
 * One global setting as the admin page shows and checks it: its system property key, its kind, the
 * values it accepts, all from its definition in {@link Settings}. {@link #check} is the single place a
 * value typed by an admin is validated.
 */
public record SettingDefinition(String key, Kind kind, List<String> options, long min, long max) {
    /** Whether the page shows a list (booleans, choices) or a text field, and how it checks it. */
    public enum Kind { BOOLEAN, CHOICE, NUMBER, TEXT, SUBDOMAIN }

    /** Why a value was refused: an i18n key and its argument. */
    public record Problem(String messageKey, Object argument) {
    }

    /** The page's field of a setting: durations are typed in whole hours, within the setting's bounds in hours. */
    static SettingDefinition of(Setting<?> setting) {
        Kind kind = switch (setting.kind()) {
            case BOOLEAN -> Kind.BOOLEAN;
            case CHOICE -> Kind.CHOICE;
            case NUMBER, HOURS -> Kind.NUMBER;
            case TEXT -> Kind.TEXT;
            case SUBDOMAIN -> Kind.SUBDOMAIN;
        };
        return new SettingDefinition(setting.key(), kind, setting.options(), setting.min(), setting.max());
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
                if (value.codePoints().anyMatch(Character::isISOControl)) {
                    return Optional.of(new Problem("admin.error.control", ""));
                }
                // Without a visible prefix a client without carbons shows the account's lines as the contact's.
                return key.equals(Settings.LEGACY_SENT_PREFIX.key()) && !Settings.isUsableSentPrefix(value)
                        ? Optional.of(new Problem("admin.error.sentPrefix", "")) : Optional.empty();
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

    /** Every global setting the page shows, in the order of {@link Settings#SERVER}. Numeric bounds: see {@link Bounds}. */
    public static final List<SettingDefinition> ALL = Settings.SERVER.stream().filter(Setting::onPage).map(SettingDefinition::of).toList();

    /**
     * What no single field can tell: the replay default must not exceed the replay maximum.
     *
     * @param valueOf each setting's value as it would be stored (what was entered, else the current value);
     *                only called for settings whose own check passed
     * @return the problems, by the key of the field they are shown at
     */
    public static Map<String, Problem> checkTogether(Function<String, String> valueOf) {
        Map<String, Problem> problems = new LinkedHashMap<>();
        long replayDefault = Long.parseLong(valueOf.apply(Settings.REPLAY_DEFAULT.key()).trim());
        long replayMax = Long.parseLong(valueOf.apply(Settings.REPLAY_MAX.key()).trim());
        if (replayDefault > replayMax) {
            problems.put(Settings.REPLAY_DEFAULT.key(), new Problem("admin.error.replayDefault", replayMax));
        }
        return problems;
    }

    public static Optional<SettingDefinition> byKey(String key) {
        return ALL.stream().filter(d -> d.key().equals(key)).findFirst();
    }
}
