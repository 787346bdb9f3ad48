package org.xmpproxy.core.settings;

/**
 * The bounds of the numeric settings, and why. The admin page refuses a value outside them,
 * Openfire's System Properties fall back to the default for one (SystemProperty min/max), and the
 * code that uses a value clamps it once more, so no path (the page, Openfire's own page, a value
 * stored by an older version) gets one used.
 */
public final class Bounds {
    /**
     * Largest message kept in the history, in characters of XML. A history entry waits in memory
     * in the write queue and is read back by the thousand in catch-ups and replays. 256 Ki
     * characters is far beyond any chat message (a long one is a few KiB) and a quarter of
     * Openfire's own stanza limit (xmpp.parser.buffer.size, 1 MiB); ten million would let one
     * message take 20 MB of queue and a catch-up gigabytes.
     */
    public static final int MAX_STANZA_CHARS = 262_144;

    /**
     * Most messages in one catch-up (and for a client seen for the first time). A catch-up reads
     * about twice as many history rows and sends them at roughly 2 ms each (1,000 took about 2 s
     * in the end-to-end measurement): 10,000 is some 20 s and 20,000 rows for one client coming
     * back. A hundred thousand would hold a catch-up thread for minutes per client; a whole
     * archive is what XEP-0313 (MAM) is for.
     */
    public static final int MAX_CATCHUP_COUNT = 10_000;

    /** Most messages one replay command sends: a replay is a catch-up on request, with the same costs. */
    public static final int MAX_REPLAY = MAX_CATCHUP_COUNT;

    /**
     * Messages kept per account. At least 1: "0" read as "keep nothing" or "no limit" depending on
     * who reads it, so it is refused; to keep nothing an admin turns the history off.
     */
    public static final int MIN_HISTORY_PER_ACCOUNT = 1;
    public static final int MAX_HISTORY_PER_ACCOUNT = 1_000_000;

    /** Hours: a catch-up reaches back at most a year. */
    public static final int MAX_CATCHUP_AGE_HOURS = 24 * 366;

    /** Hours: the history is kept at most ten years. */
    public static final int MAX_HISTORY_AGE_HOURS = 24 * 3660;

    /** Days a client's resource is remembered without being seen (its catch-up mark). */
    public static final int DEFAULT_RESOURCE_MAX_IDLE_DAYS = 30;
    public static final int MAX_RESOURCE_MAX_IDLE_DAYS = 3660;

    /**
     * Resources remembered per account. A person has a few devices; a web client that picks a new
     * random resource at every login adds one per login, so the least recently seen are forgotten
     * beyond this. Each costs a database row and, while online, a little memory.
     */
    public static final int DEFAULT_RESOURCES_PER_ACCOUNT = 50;
    public static final int MAX_RESOURCES_PER_ACCOUNT = 1_000;

    /** Memory the history writes waiting for the database may hold, in MiB, unless set otherwise. */
    public static final int DEFAULT_STORE_QUEUE_MEGABYTES = 64;

    private Bounds() {
    }

    public static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }

    /** The replay count when none is given: the configured default, but never more than the maximum. */
    public static int replayDefault(int configuredDefault, int configuredMaximum) {
        int maximum = clamp(configuredMaximum, 1, MAX_REPLAY);
        return clamp(configuredDefault, 1, maximum);
    }
}
