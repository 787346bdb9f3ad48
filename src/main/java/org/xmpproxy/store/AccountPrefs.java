package org.xmpproxy.store;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.xmpproxy.core.settings.AccountSetting;
import org.xmpproxy.core.settings.Settings;

/**
 * One account's own choices, one per {@link AccountSetting} it made (a missing one means "no choice
 * made: follow the server default"), and whether the bot was put in its roster (done once, never again;
 * not a choice). Immutable.
 */
public final class AccountPrefs {
    public static final AccountPrefs NONE = new AccountPrefs(Map.of(), null);

    /** By {@link AccountSetting#key()}; only the choices made. */
    private final Map<String, Object> choices;
    private final Boolean botAdded;

    private AccountPrefs(Map<String, Object> choices, Boolean botAdded) {
        this.choices = choices;
        this.botAdded = botAdded;
    }

    /** The account's choice, or null if it made none. */
    public <T> T get(AccountSetting<T> setting) {
        return setting.type().cast(choices.get(setting.key()));
    }

    /** These choices with {@code setting} set to {@code value}, or dropped for null. */
    public <T> AccountPrefs with(AccountSetting<T> setting, T value) {
        Map<String, Object> changed = new HashMap<>(choices);
        if (value == null) {
            changed.remove(setting.key());
        } else {
            changed.put(setting.key(), setting.type().cast(value));
        }
        return new AccountPrefs(Map.copyOf(changed), botAdded);
    }

    public Boolean mirroring() {
        return get(Settings.MIRRORING);
    }

    public Boolean history() {
        return get(Settings.HISTORY);
    }

    public Integer catchupCount() {
        return get(Settings.CATCHUP_COUNT);
    }

    public Long catchupAgeSeconds() {
        Duration age = get(Settings.CATCHUP_AGE);
        return age == null ? null : age.toSeconds();
    }

    public Boolean botAdded() {
        return botAdded;
    }

    public AccountPrefs withMirroring(Boolean on) {
        return with(Settings.MIRRORING, on);
    }

    public AccountPrefs withHistory(Boolean on) {
        return with(Settings.HISTORY, on);
    }

    public AccountPrefs withCatchup(Integer count, Long ageSeconds) {
        return with(Settings.CATCHUP_COUNT, count).with(Settings.CATCHUP_AGE, ageSeconds == null ? null : Duration.ofSeconds(ageSeconds));
    }

    public AccountPrefs withBotAdded() {
        return withBotAdded(true);
    }

    AccountPrefs withBotAdded(Boolean added) {
        return new AccountPrefs(choices, added);
    }

    /** Whether the user chose anything themselves (the bot's roster entry is not a choice). */
    public boolean hasChoices() {
        return !choices.isEmpty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AccountPrefs prefs && choices.equals(prefs.choices) && Objects.equals(botAdded, prefs.botAdded);
    }

    @Override
    public int hashCode() {
        return Objects.hash(choices, botAdded);
    }

    @Override
    public String toString() {
        return "AccountPrefs" + choices + (botAdded == null ? "" : " botAdded=" + botAdded);
    }
}
