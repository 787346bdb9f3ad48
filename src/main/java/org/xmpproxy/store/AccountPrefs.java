package org.xmpproxy.store;

/**
 * One account's own choices; a null field means "no choice made: follow the server default".
 *
 * @param mirroring          mirroring on/off
 * @param history            history on/off
 * @param catchupCount       at most this many messages in a catch-up
 * @param catchupAgeSeconds  nothing older than this in a catch-up
 */
public record AccountPrefs(Boolean mirroring, Boolean history, Integer catchupCount, Long catchupAgeSeconds) {
    public static final AccountPrefs NONE = new AccountPrefs(null, null, null, null);

    public AccountPrefs withMirroring(Boolean on) {
        return new AccountPrefs(on, history, catchupCount, catchupAgeSeconds);
    }

    public AccountPrefs withHistory(Boolean on) {
        return new AccountPrefs(mirroring, on, catchupCount, catchupAgeSeconds);
    }

    public AccountPrefs withCatchup(Integer count, Long ageSeconds) {
        return new AccountPrefs(mirroring, history, count, ageSeconds);
    }
}
