package org.xmpproxy.core.settings;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.xmpproxy.core.rule.OwnLines;
import org.xmpproxy.core.rule.ResourceMode;

/**
 * Every setting, defined once. Server-wide: {@link #SERVER}, made Openfire system properties by
 * {@code openfire/XmpproxyProperties} and fields of the admin page by {@code admin/SettingDefinition}.
 * Per account: {@link #ACCOUNT}, resolved by {@link EffectiveSettings}, stored by {@code store/SettingsStore}.
 * Numeric bounds, and why: {@link Bounds}.
 */
public final class Settings {
    public static final Setting<Boolean> ENABLED = Setting.bool("xmpproxy.enabled", true);
    public static final Setting<String> ENROLLMENT = Setting.choice("xmpproxy.enrollment", Enrollment.ALL);
    public static final Setting<String> DEFAULT_MODE = Setting.choice("xmpproxy.resource.defaultMode", ResourceMode.AUTO);
    public static final Setting<String> LEGACY_SENT_PREFIX = Setting.text("xmpproxy.legacy.sentPrefix", "[me] ", 64);
    public static final Setting<Integer> CATCHUP_MAX_COUNT = Setting.number("xmpproxy.catchup.maxCount", 500, 0, Bounds.MAX_CATCHUP_COUNT);
    public static final Setting<Duration> CATCHUP_MAX_AGE = Setting.hours("xmpproxy.catchup.maxAge", Duration.ofHours(24),
            Bounds.MAX_CATCHUP_AGE_HOURS);
    public static final Setting<Integer> CATCHUP_NEW_RESOURCE_COUNT = Setting.number("xmpproxy.catchup.newResourceCount", 0, 0,
            Bounds.MAX_CATCHUP_COUNT);
    /**
     * How long the catch-up of a client with carbons waits for it to query the account's archive (XEP-0313), when the
     * server keeps one: a client that syncs the archive gets from there what its query returns (0: no wait; a query
     * that comes before the catch-up's messages still leaves out what it returns).
     */
    public static final Setting<Integer> CATCHUP_ARCHIVE_WAIT_SECONDS = Setting.number("xmpproxy.catchup.archiveWaitSeconds", 5, 0, 60);
    public static final Setting<Boolean> HISTORY_ENABLED = Setting.bool("xmpproxy.history.enabled", true);
    public static final Setting<Integer> HISTORY_MAX_PER_ACCOUNT = Setting.number("xmpproxy.history.maxPerAccount", 1000,
            Bounds.MIN_HISTORY_PER_ACCOUNT, Bounds.MAX_HISTORY_PER_ACCOUNT);
    public static final Setting<Duration> HISTORY_MAX_AGE = Setting.hours("xmpproxy.history.maxAge", Duration.ofDays(30),
            Bounds.MAX_HISTORY_AGE_HOURS);
    public static final Setting<Integer> HISTORY_MAX_STANZA_CHARS = Setting.number("xmpproxy.history.maxStanzaChars", 65_536, 0,
            Bounds.MAX_STANZA_CHARS);
    /** See {@link Bounds#replayDefault}: never used above the replay maximum. */
    public static final Setting<Integer> REPLAY_DEFAULT = Setting.number("xmpproxy.replay.default", 20, 1, Bounds.MAX_REPLAY);
    public static final Setting<Integer> REPLAY_MAX = Setting.number("xmpproxy.replay.max", 1000, 1, Bounds.MAX_REPLAY);
    /** Resources not seen for this many days are forgotten (their catch-up marks; explicit modes stay). */
    public static final Setting<Integer> RESOURCE_MAX_IDLE_DAYS = Setting.number("xmpproxy.resource.maxIdleDays",
            Bounds.DEFAULT_RESOURCE_MAX_IDLE_DAYS, 1, Bounds.MAX_RESOURCE_MAX_IDLE_DAYS);
    /** Beyond this many resources of one account, the least recently seen are forgotten. */
    public static final Setting<Integer> RESOURCE_MAX_PER_ACCOUNT = Setting.number("xmpproxy.resource.maxPerAccount",
            Bounds.DEFAULT_RESOURCES_PER_ACCOUNT, 1, Bounds.MAX_RESOURCES_PER_ACCOUNT);
    /** The bot is registered under it when the plugin starts. */
    public static final Setting<String> BOT_SUBDOMAIN = Setting.subdomain("xmpproxy.bot.subdomain", "xmpproxy").atRestart();
    public static final Setting<Boolean> BOT_ROSTER_AUTO_ADD = Setting.bool("xmpproxy.bot.rosterAutoAdd", true);
    /** What one sender may send the bot at once (chat and ad-hoc commands together), then {@link #BOT_RATE_PER_MINUTE}. */
    public static final Setting<Integer> BOT_RATE_BURST = Setting.number("xmpproxy.bot.rateBurst", 10, 1, 1000).atRestart().notOnPage();
    /** How fast a sender's allowance of commands refills. */
    public static final Setting<Integer> BOT_RATE_PER_MINUTE = Setting.number("xmpproxy.bot.ratePerMinute", 60, 1, 60_000)
            .atRestart().notOnPage();
    /** The write queue is created once, when the plugin starts. */
    public static final Setting<Integer> STORE_QUEUE_CAPACITY = Setting.number("xmpproxy.store.queueCapacity", 10_000, 100,
            Integer.MAX_VALUE).atRestart().notOnPage();
    /** Read at every offer: a change applies at once (what is already queued stays). */
    public static final Setting<Integer> STORE_QUEUE_MEGABYTES = Setting.number("xmpproxy.store.queueMegabytes",
            Bounds.DEFAULT_STORE_QUEUE_MEGABYTES, 1, Integer.MAX_VALUE).notOnPage();
    /**
     * The secret that seals xmpproxy's copies ({@code core/copy/CopySeal}), made at the first start. Kept (not per run)
     * so that copies a client left unacknowledged before a reload or restart are still known when Openfire routes
     * them again, and so that every node of a future cluster shares it. Changed or deleted, a new one is used at the
     * next start: copies in flight then are handled as any message.
     */
    public static final Setting<String> COPY_SECRET = Setting.text("xmpproxy.copy.secret", "", 256).atRestart().secretValue();

    /** Every server-wide setting, in the order the admin page shows those {@link Setting#onPage on it}. */
    public static final List<Setting<?>> SERVER = List.of(ENABLED, ENROLLMENT, DEFAULT_MODE, LEGACY_SENT_PREFIX,
            CATCHUP_MAX_COUNT, CATCHUP_MAX_AGE, CATCHUP_NEW_RESOURCE_COUNT, CATCHUP_ARCHIVE_WAIT_SECONDS, HISTORY_ENABLED, HISTORY_MAX_PER_ACCOUNT,
            HISTORY_MAX_AGE, HISTORY_MAX_STANZA_CHARS, REPLAY_DEFAULT, REPLAY_MAX, RESOURCE_MAX_IDLE_DAYS,
            RESOURCE_MAX_PER_ACCOUNT, BOT_SUBDOMAIN, BOT_ROSTER_AUTO_ADD, BOT_RATE_BURST, BOT_RATE_PER_MINUTE, STORE_QUEUE_CAPACITY, STORE_QUEUE_MEGABYTES,
            COPY_SECRET);

    /** Mirroring: by default as the enrollment says; no account is mirrored by default while the choices are unknown. */
    public static final AccountSetting<Boolean> MIRRORING = AccountSetting.flag("mirroring",
            server -> enrollment(server) == Enrollment.ALL).whileUnknown(false);
    /** The history: none is recorded by default while the choices are unknown. */
    public static final AccountSetting<Boolean> HISTORY = AccountSetting.following("history", HISTORY_ENABLED).whileUnknown(false);
    /** The most messages one catch-up sends; at most {@link Bounds#MAX_CATCHUP_COUNT}. */
    public static final AccountSetting<Integer> CATCHUP_COUNT = AccountSetting.following("catchup.count", CATCHUP_MAX_COUNT)
            .showOnAccountRow();
    /** How far back one catch-up reaches; at most {@link Bounds#MAX_CATCHUP_AGE_HOURS}. */
    public static final AccountSetting<Duration> CATCHUP_AGE = AccountSetting.following("catchup.age", CATCHUP_MAX_AGE)
            .showOnAccountRow();

    /** Every per-account setting (a resource's copy mode is per resource: {@link EffectiveSettings#mode}). */
    public static final List<AccountSetting<?>> ACCOUNT = List.of(MIRRORING, HISTORY, CATCHUP_COUNT, CATCHUP_AGE);

    private Settings() {
    }

    /** The enrollment as used: an unreadable value falls back to the default rather than stopping mirroring. */
    public static Enrollment enrollment(ServerSettings server) {
        return Enrollment.parse(server.get(ENROLLMENT)).orElse(Enrollment.ALL);
    }

    /** The copy mode of a resource without a chosen one; an unreadable value falls back to the default. */
    public static ResourceMode defaultMode(ServerSettings server) {
        return ResourceMode.parse(server.get(DEFAULT_MODE)).orElse(ResourceMode.AUTO);
    }

    /** Whether a legacy sent prefix tells the account's lines from a contact's ({@link OwnLines#isUsablePrefix}). */
    public static boolean isUsableSentPrefix(String prefix) {
        return OwnLines.isUsablePrefix(prefix);
    }

    public static Optional<Setting<?>> server(String key) {
        return SERVER.stream().filter(setting -> setting.key().equals(key)).findFirst();
    }

    public static Optional<AccountSetting<?>> account(String key) {
        return ACCOUNT.stream().filter(setting -> setting.key().equals(key)).findFirst();
    }
}
