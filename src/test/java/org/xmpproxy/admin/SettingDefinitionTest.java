package org.xmpproxy.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xmpproxy.core.settings.Bounds;

/** Settings mean what they say: the page refuses what would be used differently, or hurt. */
class SettingDefinitionTest {
    private static Optional<SettingDefinition.Problem> check(String key, String value) {
        return SettingDefinition.byKey(key).orElseThrow().check(value);
    }

    @Test
    void boundsThatWouldHurtAreRefused() {
        assertTrue(check("xmpproxy.history.maxStanzaChars", "10000000").isPresent(), "ten million characters per message");
        assertTrue(check("xmpproxy.history.maxStanzaChars", "262145").isPresent());
        assertFalse(check("xmpproxy.history.maxStanzaChars", "262144").isPresent());
        assertTrue(check("xmpproxy.catchup.maxCount", "100000").isPresent(), "a hundred thousand messages per catch-up");
        assertFalse(check("xmpproxy.catchup.maxCount", "10000").isPresent());
        assertTrue(check("xmpproxy.catchup.newResourceCount", "10001").isPresent());
        assertTrue(check("xmpproxy.replay.max", "10001").isPresent());
        assertEquals("admin.error.number", check("xmpproxy.catchup.maxCount", "100000").orElseThrow().messageKey());
    }

    @Test
    void zeroMessagesPerAccountIsRefusedRatherThanReadAsKeepEverything() {
        assertEquals(Optional.of(new SettingDefinition.Problem("admin.error.number", "1-1000000")),
                check("xmpproxy.history.maxPerAccount", "0"));
        assertFalse(check("xmpproxy.history.maxPerAccount", "1").isPresent());
    }

    @Test
    void theReplayDefaultIsAtMostTheReplayMaximum() {
        Map<String, String> values = Map.of("xmpproxy.replay.default", "300", "xmpproxy.replay.max", "200");
        assertEquals(Map.of("xmpproxy.replay.default", new SettingDefinition.Problem("admin.error.replayDefault", 200L)),
                SettingDefinition.checkTogether(values::get));
        assertEquals(Map.of(), SettingDefinition.checkTogether(Map.of("xmpproxy.replay.default", "200", "xmpproxy.replay.max", "200")::get));
        assertEquals(200, Bounds.replayDefault(300, 200), "and at use, whatever was stored");
        assertEquals(20, Bounds.replayDefault(20, 200));
        assertEquals(Bounds.MAX_REPLAY, Bounds.replayDefault(50_000, 90_000));
    }

    @Test
    void resourceBoundsAreSettings() {
        assertFalse(check("xmpproxy.resource.maxIdleDays", "30").isPresent());
        assertTrue(check("xmpproxy.resource.maxIdleDays", "0").isPresent());
        assertFalse(check("xmpproxy.resource.maxPerAccount", "50").isPresent());
        assertTrue(check("xmpproxy.resource.maxPerAccount", "0").isPresent());
    }

    @Test
    void accountNamesFitTheUsernameColumnAndHaveNoControlCharacters() {
        assertTrue(AccountName.isValid("john", false));
        assertTrue(AccountName.isValid("x".repeat(AccountName.MAX_USERNAME_LENGTH), true));
        assertFalse(AccountName.isValid("x".repeat(AccountName.MAX_USERNAME_LENGTH + 1), false));
        String swedish = "å".repeat(40); // 40 characters, 80 bytes of UTF-8
        assertTrue(AccountName.isValid(swedish, false), "fits a column counted in characters");
        assertFalse(AccountName.isValid(swedish, true), "not one counted in bytes (Oracle, DB2)");
        // HSQLDB and SQL Server count UTF-16 units: 64 emoji are 128 of them, refused everywhere to fit every database.
        assertFalse(AccountName.isValid("😀".repeat(64), false), "UTF-16 units, as HSQLDB and SQL Server count them");
        assertFalse(AccountName.isValid("john\u0000", false));
        assertFalse(AccountName.isValid("jo\nhn", false));
        assertFalse(AccountName.isValid(" ", false));
        assertFalse(AccountName.isValid(null, false));
    }

    @Test
    void theSentPrefixMustTellTheAccountsLinesFromAContacts() {
        assertEquals(Optional.of(new SettingDefinition.Problem("admin.error.sentPrefix", "")), check("xmpproxy.legacy.sentPrefix", ""));
        assertTrue(check("xmpproxy.legacy.sentPrefix", "  ").isPresent(), "invisible");
        assertTrue(check("xmpproxy.legacy.sentPrefix", "\u200B").isPresent(), "invisible");
        assertTrue(check("xmpproxy.legacy.sentPrefix", "<me> ").isPresent(), "a contact's marked line starts with <");
        assertFalse(check("xmpproxy.legacy.sentPrefix", "[me] ").isPresent());
        assertFalse(check("xmpproxy.legacy.sentPrefix", "» ").isPresent());
    }

    /** Issue 17.8: the name as Openfire sees it (Tinder's nodeprep), or none. */
    @Test
    void anAccountNameIsTakenAsOpenfireNamesTheAccount() {
        assertEquals(Optional.of("john"), AccountName.normalised("John", false));
        assertEquals(Optional.of("caf\u00e9"), AccountName.normalised("Cafe\u0301", false));
        assertEquals(Optional.of("file"), AccountName.normalised("\uFB01le", false));
        assertEquals(Optional.of("john"), AccountName.normalised("\u200Bjohn", false));
        for (String bad : new String[] {"a b", "a@b", "john@example.org", "x/y", "it's", "a:b", "<b>", "\u200B", "x\uE000"}) {
            assertEquals(Optional.empty(), AccountName.normalised(bad, false), bad);
        }
    }
}
