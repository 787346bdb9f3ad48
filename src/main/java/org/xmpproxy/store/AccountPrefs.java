package org.xmpproxy.store;

/**
 * One account's own choices; a null field means "no choice made: follow the server default".
 *
 * @param mirroring          mirroring on/off
 * @param history            history on/off
 * @param catchupCount       at most this many messages in a catch-up
 * @param catchupAgeSeconds  nothing older than this in a catch-up
 * @param botAdded           whether the bot was put in the account's roster (done once, never again)
 */
public record AccountPrefs(Boolean mirroring, Boolean history, Integer catchupCount, Long catchupAgeSeconds, Boolean botAdded) {
    public static final AccountPrefs NONE = new AccountPrefs(null, null, null, null, null);

    public AccountPrefs withMirroring(Boolean on) {
        return new AccountPrefs(on, history, catchupCount, catchupAgeSeconds, botAdded);
    }

    public AccountPrefs withHistory(Boolean on) {
        return new AccountPrefs(mirroring, on, catchupCount, catchupAgeSeconds, botAdded);
    }

    public AccountPrefs withCatchup(Integer count, Long ageSeconds) {
        return new AccountPrefs(mirroring, history, count, ageSeconds, botAdded);
    }

    public AccountPrefs withBotAdded() {
        return new AccountPrefs(mirroring, history, catchupCount, catchupAgeSeconds, true);
    }

    /** Whether the user chose anything themselves (the bot's roster entry is not a choice). */
    public boolean hasChoices() {
        return mirroring != null || history != null || catchupCount != null || catchupAgeSeconds != null;
    }
}
