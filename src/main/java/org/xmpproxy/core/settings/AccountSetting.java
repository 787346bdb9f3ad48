package org.xmpproxy.core.settings;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * One per-account setting, defined once: what an account may choose for itself instead of the server's
 * default. {@link EffectiveSettings} answers its value for an account; the store keeps it in one column
 * ({@code store/SettingsStore}'s table of columns); the admin page's account row shows and sets every one
 * marked {@link #onAccountRow}. Every one is in {@link Settings#ACCOUNT}.
 * <p>Its key names it everywhere: the admin page's label is {@code admin.account.<key>}, its form field
 * is the key itself.
 */
public final class AccountSetting<T> {
    private final String key;
    private final Setting.Kind kind;
    private final long min;
    private final long max;
    private final Function<ServerSettings, T> serverDefault;
    private final T whileUnknown;
    private final boolean onAccountRow;

    private AccountSetting(String key, Setting.Kind kind, long min, long max, Function<ServerSettings, T> serverDefault,
                           T whileUnknown, boolean onAccountRow) {
        this.key = key;
        this.kind = kind;
        this.min = min;
        this.max = max;
        this.serverDefault = serverDefault;
        this.whileUnknown = whileUnknown;
        this.onAccountRow = onAccountRow;
    }

    /**
     * A choice of the same kind and bounds as a server-wide setting, which is its default: an account
     * may choose any value the server could be set to (so never more than {@link Bounds} allows).
     */
    static <T> AccountSetting<T> following(String key, Setting<T> server) {
        return new AccountSetting<>(key, server.kind(), server.min(), server.max(), settings -> settings.get(server), null, false);
    }

    /** An on/off choice whose default the server's settings decide otherwise. */
    static AccountSetting<Boolean> flag(String key, Function<ServerSettings, Boolean> serverDefault) {
        return new AccountSetting<>(key, Setting.Kind.BOOLEAN, 0, 0, serverDefault, null, false);
    }

    /**
     * The value of an account without a choice while the stored choices are unknown (the database was
     * down at start): one that turned the setting off cannot be told from one that made no choice.
     */
    AccountSetting<T> whileUnknown(T value) {
        return new AccountSetting<>(key, kind, min, max, serverDefault, value, onAccountRow);
    }

    /** Shown and set on the admin page's account row. */
    AccountSetting<T> showOnAccountRow() {
        return new AccountSetting<>(key, kind, min, max, serverDefault, whileUnknown, true);
    }

    public String key() {
        return key;
    }

    public Setting.Kind kind() {
        return kind;
    }

    /** The least value an account may choose, as typed (hours for durations). */
    public long min() {
        return min;
    }

    /** The greatest value an account may choose, as typed (hours for durations): the server maximum. */
    public long max() {
        return max;
    }

    public boolean onAccountRow() {
        return onAccountRow;
    }

    @SuppressWarnings("unchecked")
    public Class<T> type() {
        return (Class<T>) kind.type();
    }

    /** The value of an account that made no choice. */
    public T serverDefault(ServerSettings server) {
        return serverDefault.apply(server);
    }

    /** See {@link #whileUnknown(Object)}; null when the server default applies then too. */
    public T whileUnknown() {
        return whileUnknown;
    }

    /** An account's stored choice as it is used: within the bounds, whatever an old or hand-edited row holds. */
    public T bounded(T own) {
        return type().cast(kind.bound(own, min, max));
    }

    /** A value as users read it (hours for durations). */
    public String format(T value) {
        return kind.format(value);
    }

    /**
     * What a user typed (on the admin page, to the bot), as a value: a whole number within
     * {@link #min()}..{@link #max()} for numbers and hours, true/false or on/off for flags. Empty if it
     * is none of these; "default" is not a value either (see {@link #meansDefault}).
     */
    public Optional<T> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String typed = text.trim().toLowerCase(Locale.ROOT);
        if (kind == Setting.Kind.BOOLEAN) {
            boolean on = typed.equals("true") || typed.equals("on");
            boolean off = typed.equals("false") || typed.equals("off");
            return on || off ? Optional.of(type().cast(on)) : Optional.empty();
        }
        if ((kind != Setting.Kind.NUMBER && kind != Setting.Kind.HOURS) || !typed.matches("\\d{1,12}")) {
            return Optional.empty();
        }
        long number = Long.parseLong(typed);
        return number < min || number > max ? Optional.empty() : Optional.of(type().cast(kind.parse(typed)));
    }

    /** Whether a user asked to drop the account's own choice and follow the server: "default", or nothing typed. */
    public static boolean meansDefault(String text) {
        return text == null || text.isBlank() || text.trim().equalsIgnoreCase("default");
    }

    @Override
    public String toString() {
        return key;
    }
}
