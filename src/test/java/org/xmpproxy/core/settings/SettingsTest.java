package org.xmpproxy.core.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xmpproxy.core.rule.ResourceMode;

/** The catalogue: each setting once, choices from their enums' labels, values used within their bounds. */
class SettingsTest {
    @Test
    void everyKeyIsDefinedOnce() {
        Set<String> keys = new HashSet<>();
        Settings.SERVER.forEach(setting -> assertTrue(keys.add(setting.key()), "twice: " + setting.key()));
        Settings.ACCOUNT.forEach(setting -> assertTrue(keys.add(setting.key()), "twice: " + setting.key()));
    }

    @Test
    void choicesAreTheirEnumsLabelsParsedOneWay() {
        assertEquals(List.of("auto", "legacy", "carbons", "off"), Settings.DEFAULT_MODE.options());
        assertEquals(List.of("all", "opt-in"), Settings.ENROLLMENT.options());
        assertEquals(Optional.of(Enrollment.OPT_IN), Enrollment.parse(" Opt-In "));
        assertEquals(Optional.of(ResourceMode.CARBONS), ResourceMode.parse("CARBONS "));
        assertEquals(Optional.of(ResourceMode.LEGACY), ResourceMode.parse("legacy"), "as stored");
        assertEquals(Optional.empty(), Enrollment.parse("opt_in"));
        assertEquals(Optional.empty(), ResourceMode.parse(null));
        for (Setting<?> setting : Settings.SERVER) {
            if (setting.kind() == Setting.Kind.CHOICE) {
                assertTrue(setting.options().contains(setting.defaultValue()), setting.key());
            }
        }
    }

    @Test
    void storedValuesAreUsedWithinTheirBoundsAndTheDefaultsAreWithinThem() {
        assertEquals(Bounds.MAX_STANZA_CHARS, Settings.HISTORY_MAX_STANZA_CHARS.bounded(10_000_000));
        assertEquals(Bounds.MIN_HISTORY_PER_ACCOUNT, Settings.HISTORY_MAX_PER_ACCOUNT.bounded(0));
        assertEquals(Duration.ofHours(Bounds.MAX_CATCHUP_AGE_HOURS), Settings.CATCHUP_MAX_AGE.bounded(Duration.ofDays(5000)));
        assertEquals(true, Settings.ENABLED.bounded(null), "nothing stored: the default");
        assertEquals("", Settings.LEGACY_SENT_PREFIX.bounded(null), "an empty marker stays empty");
        for (Setting<?> setting : Settings.SERVER) {
            assertEquals(setting.defaultValue(), setting.bounded(setting.defaultValue()), setting.key());
            assertEquals(setting.defaultValue(), setting.parse(setting.format(setting.defaultValue())), "as text and back: " + setting.key());
        }
    }

    @Test
    void aSentPrefixThatCannotTellTheLinesApartIsNotUsedWhereverItWasSet() {
        for (String stored : new String[] {"", "   ", "\u200B", "<me> "}) {
            MirrorConfig config = new MirrorConfig() {
                @Override
                public <T> T get(Setting<T> setting) {
                    return setting == Settings.LEGACY_SENT_PREFIX ? setting.type().cast(stored) : setting.defaultValue();
                }
            };
            assertEquals("[me] ", config.legacySentPrefix(), "Openfire's own page does not check it: " + stored);
        }
        MirrorConfig own = new MirrorConfig() {
            @Override
            public <T> T get(Setting<T> setting) {
                return setting == Settings.LEGACY_SENT_PREFIX ? setting.type().cast("(ich) ") : setting.defaultValue();
            }
        };
        assertEquals("(ich) ", own.legacySentPrefix());
    }
}
