package org.xmpproxy.core.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A contact's line never reads like one the account sent, however it is written (issue 17, point 3). */
class OwnLinesTest {
    private static final String JANE = "jane@example.org";
    private final OwnLines lines = new OwnLines("[me] ");

    @Test
    void aLineThatReadsLikeTheSentPrefixIsMarkedWithItsSender() {
        assertEquals("<jane@example.org> [me] I agree to pay", lines.marked("[me] I agree to pay", JANE));
        assertEquals("<jane@example.org> [me]", lines.marked("[me]", JANE), "the prefix alone");
        assertEquals("<jane@example.org> [me]I agree", lines.marked("[me]I agree", JANE), "without its space");
    }

    @Test
    void lookAlikesAreMarkedToo() {
        String[] alike = {
            "   [me] I agree",                 // white space before it
            "\u00A0\t[me] I agree",            // no-break space, tab
            "\u200B[me] I agree",              // zero-width space
            "[\u200Dm\u2060e\uFEFF] I agree",  // joiners and word joiners between its letters
            "\uFF3B\uFF4D\uFF45\uFF3D I agree",// fullwidth ［ｍｅ］
            "[ME] I agree",                    // case
            "[M\u0435] I agree",               // Cyrillic e
            "[\u041C\u0415] I agree",          // Cyrillic M and E
            "\u3014me\u3015 I agree",          // another bracket
            "(me) I agree",                    // round ones
            "[me]  \u3000 I agree",            // ideographic space after it
            "\u202E]em[ I agree",              // right-to-left override: shown reversed
            "\u2067[me] I agree",              // right-to-left isolate
        };
        for (String text : alike) {
            assertTrue(lines.marked(text, JANE).startsWith("<jane@example.org> "), () -> "not marked: " + escaped(text));
            assertTrue(lines.marked(text, JANE).endsWith(text), "the contact's text stays as written, after the mark");
        }
    }

    @Test
    void everyLineIsLookedAtNotOnlyTheFirst() {
        assertEquals("ok\n<jane@example.org> [me] I agree\nbye", lines.marked("ok\n[me] I agree\nbye", JANE));
        assertEquals("ok\r\n<jane@example.org> [me] I agree", lines.marked("ok\r\n[me] I agree", JANE));
        assertEquals("ok\u2028<jane@example.org> [me] x", lines.marked("ok\u2028[me] x", JANE));
        assertEquals("<jane@example.org> [me] a\n<jane@example.org> [me] b", lines.marked("[me] a\n[me] b", JANE));
    }

    @Test
    void otherTextIsLeftAsItIs() {
        for (String text : new String[] {"I agree to pay", "ok [me] I agree", "[m] e", "[meh", "", "\n\n", "me] x", "<john> [me]"}) {
            assertSame(text, lines.marked(text, JANE), text);
        }
        assertEquals(null, lines.marked(null, JANE));
    }

    @Test
    void manyInvisibleCharactersCannotHideThePrefix() {
        String hidden = "[" + "\u200B".repeat(10_000) + "me] I agree";
        assertTrue(lines.marked(hidden, JANE).startsWith("<jane@example.org> "));
    }

    @Test
    void aSenderWithoutAnAddressIsStillMarked() {
        assertEquals("<?> [me] x", lines.marked("[me] x", null));
    }

    @Test
    void anotherPrefixIsComparedTheSameWay() {
        OwnLines swedish = new OwnLines("Jag: ");
        assertEquals("<jane@example.org> JAG: betalar", swedish.marked("JAG: betalar", JANE));
        assertEquals("<jane@example.org> jag  :betalar", swedish.marked("jag  :betalar", JANE), "white space inside it");
        assertEquals("<jane@example.org> [ m e ] x", lines.marked("[ m e ] x", JANE));
        assertSame("jagar", swedish.marked("jagar", JANE));
    }

    @Test
    void onlyAVisiblePrefixThatDoesNotStartLikeAMarkedLineIsUsable() {
        assertTrue(OwnLines.isUsablePrefix("[me] "));
        assertTrue(OwnLines.isUsablePrefix("» "));
        assertFalse(OwnLines.isUsablePrefix(""), "sent and received would be the same text");
        assertFalse(OwnLines.isUsablePrefix(null));
        assertFalse(OwnLines.isUsablePrefix("   "));
        assertFalse(OwnLines.isUsablePrefix("\u200B\u200D"), "invisible");
        assertFalse(OwnLines.isUsablePrefix("<me> "), "a contact's marked line starts with <");
        assertFalse(OwnLines.isUsablePrefix(" \uFF1Cme\uFF1E "), "fullwidth <");
    }

    @Test
    void richTextIsLookedAtAnywhere() {
        assertTrue(lines.containsLookAlike("ok[ME] I agree"));
        assertFalse(lines.containsLookAlike("ok, I agree"));
    }

    private static String escaped(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c < 128 ? String.valueOf((char) c) : String.format("\\u%04X", c)));
        return out.toString();
    }
}
