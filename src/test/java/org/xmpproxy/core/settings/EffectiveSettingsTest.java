package org.xmpproxy.core.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.ResourceMode;

/** What an account gets: its own choice within the server maximum, else the server's value; one answer for every user of it. */
class EffectiveSettingsTest {
    private static final JID JOHN = new JID("john@example.org");
    private static final JID JANE = new JID("jane@example.org");

    /** The server's settings as an admin set them; the rest at their defaults. */
    private static final class Server implements ServerSettings {
        final Map<Setting<?>, Object> values = new HashMap<>();

        @Override
        public <T> T get(Setting<T> setting) {
            return setting.bounded(values.getOrDefault(setting, setting.defaultValue()));
        }
    }

    private final InMemoryAccountSettings accounts = new InMemoryAccountSettings();
    private final Server server = new Server();
    private final EffectiveSettings effective = new EffectiveSettings(accounts, server);

    @Test
    void anAccountWithoutItsOwnCatchupLimitsGetsTheServersAsTheyAreNow() {
        assertEquals(500, effective.catchupCount(JOHN));
        assertEquals(Duration.ofHours(24), effective.catchupAge(JOHN));
        server.values.put(Settings.CATCHUP_MAX_COUNT, 30);
        server.values.put(Settings.CATCHUP_MAX_AGE, Duration.ofHours(6));
        assertEquals(30, effective.catchupCount(JOHN), "a change of the server's setting applies at once");
        assertEquals(Duration.ofHours(6), effective.catchupAge(JOHN));
    }

    @Test
    void anAccountsOwnLimitsWinUpToTheServerMaximumAndDefaultGivesTheServersBack() {
        accounts.set(JOHN, Settings.CATCHUP_COUNT, 700);
        accounts.set(JOHN, Settings.CATCHUP_AGE, Duration.ofHours(72));
        assertEquals(700, effective.catchupCount(JOHN), "more than the server's default, within its maximum");
        assertEquals(Duration.ofHours(72), effective.catchupAge(JOHN));
        assertEquals(500, effective.catchupCount(JANE), "another account keeps the server's");

        // A row written by an older version, or by hand: never used above the maximum of Bounds.
        accounts.set(JOHN, Settings.CATCHUP_COUNT, 1_000_000);
        accounts.set(JOHN, Settings.CATCHUP_AGE, Duration.ofDays(10_000));
        assertEquals(Bounds.MAX_CATCHUP_COUNT, effective.catchupCount(JOHN));
        assertEquals(Duration.ofHours(Bounds.MAX_CATCHUP_AGE_HOURS), effective.catchupAge(JOHN));
        assertEquals(Optional.of(Duration.ofHours(Bounds.MAX_CATCHUP_AGE_HOURS)), effective.own(JOHN, Settings.CATCHUP_AGE));

        accounts.set(JOHN, Settings.CATCHUP_COUNT, null);
        accounts.set(JOHN, Settings.CATCHUP_AGE, null);
        assertEquals(500, effective.catchupCount(JOHN));
        assertEquals(Duration.ofHours(24), effective.catchupAge(JOHN));
        assertEquals(Optional.empty(), effective.own(JOHN, Settings.CATCHUP_COUNT));
    }

    @Test
    void whatAUserTypesIsAValueWithinTheServerMaximumOrDefault() {
        assertEquals(Optional.of(10_000), Settings.CATCHUP_COUNT.parse(" 10000 "));
        assertEquals(Optional.empty(), Settings.CATCHUP_COUNT.parse("10001"), "above the server maximum");
        assertEquals(Optional.of(0), Settings.CATCHUP_COUNT.parse("0"), "no catch-up at all");
        assertEquals(Optional.empty(), Settings.CATCHUP_COUNT.parse("-1"));
        assertEquals(Optional.empty(), Settings.CATCHUP_COUNT.parse("lots"));
        assertEquals(Optional.of(Duration.ofHours(Bounds.MAX_CATCHUP_AGE_HOURS)),
                Settings.CATCHUP_AGE.parse(Integer.toString(Bounds.MAX_CATCHUP_AGE_HOURS)), "hours");
        assertEquals(Optional.empty(), Settings.CATCHUP_AGE.parse(Integer.toString(Bounds.MAX_CATCHUP_AGE_HOURS + 1)));
        assertEquals(Bounds.MAX_CATCHUP_COUNT, Settings.CATCHUP_COUNT.max(), "the bound the page and the bot name");
        assertTrue(AccountSetting.meansDefault("Default"));
        assertTrue(AccountSetting.meansDefault(" "));
        assertFalse(AccountSetting.meansDefault("0"));
        assertEquals("72", Settings.CATCHUP_AGE.format(Duration.ofHours(72)));
    }

    @Test
    void mirroringAndHistoryFollowTheServerUnlessChosenAndAreOffWhileTheChoicesAreUnknown() {
        assertTrue(effective.mirroring(JOHN));
        server.values.put(Settings.ENROLLMENT, "opt-in");
        assertFalse(effective.mirroring(JOHN));
        accounts.setMirroring(JOHN, true);
        assertTrue(effective.mirroring(JOHN));
        server.values.put(Settings.HISTORY_ENABLED, false);
        assertFalse(effective.history(JOHN));
        accounts.set(JOHN, Settings.HISTORY, true);
        assertTrue(effective.history(JOHN));

        AccountSettings unknown = new AccountSettings() {
            @Override
            public <T> Optional<T> own(JID account, AccountSetting<T> setting) {
                return accounts.own(account, setting);
            }

            @Override
            public <T> void set(JID account, AccountSetting<T> setting, T value) {
                accounts.set(account, setting, value);
            }

            @Override
            public Optional<ResourceMode> mode(JID account, String resource) {
                return accounts.mode(account, resource);
            }

            @Override
            public void setMode(JID account, String resource, ResourceMode mode) {
                accounts.setMode(account, resource, mode);
            }

            @Override
            public boolean choicesKnown() {
                return false;
            }
        };
        server.values.put(Settings.ENROLLMENT, "all");
        server.values.put(Settings.HISTORY_ENABLED, true);
        EffectiveSettings meanwhile = new EffectiveSettings(unknown, server);
        assertFalse(meanwhile.mirroring(JANE), "jane may have opted out: not mirrored until her choice is known");
        assertFalse(meanwhile.history(JANE));
        assertTrue(meanwhile.mirroring(JOHN), "a choice made since the start is known");
        assertEquals(500, meanwhile.catchupCount(JANE), "limits need no choice to be safe: the server's");
    }

    @Test
    void aResourceGetsItsChosenModeElseTheServersDefault() {
        assertEquals(ResourceMode.AUTO, effective.mode(JOHN, "phone"));
        server.values.put(Settings.DEFAULT_MODE, "legacy");
        assertEquals(ResourceMode.LEGACY, effective.mode(JOHN, "phone"));
        accounts.setMode(JOHN, "phone", ResourceMode.OFF);
        assertEquals(ResourceMode.OFF, effective.mode(JOHN, "phone"));
        server.values.put(Settings.DEFAULT_MODE, "nonsense");
        assertEquals(ResourceMode.AUTO, effective.mode(JOHN, "laptop"), "an unreadable default falls back to auto");
    }
}
