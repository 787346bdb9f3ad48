package org.xmpproxy.core.rule;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;

/**
 * What a client without carbons shows as a line the account itself sent: the legacy "sent" copy comes from the
 * peer's JID, and only its body's prefix ({@code xmpproxy.legacy.sentPrefix}, "[me] ") tells it from the peer's
 * lines. So a received message must never start a line with what reads like that prefix (a contact writing
 * "[me] I agree to pay"): in received copies such a line is marked with its sender, {@code <jane@example.org> [me] I
 * agree to pay}, as chat logs name a speaker. The marking is the peer's address, not a text: the same in every
 * language, it is built once per message for every client of the account, and it says what the client already
 * shows as the conversation's partner.
 *
 * <p>"Reads like" is compared on the text as a reader sees it ({@link #canonical}): Unicode compatibility forms
 * (NFKC: fullwidth brackets, ligatures), invisible format characters (zero-width spaces, joiners, bidi marks)
 * removed, any bracket taken for a square one, Cyrillic and Greek letters that look Latin taken for them, case
 * ignored, white space ignored. A line starting with an explicit bidi embedding,
 * override or isolate is marked too: it can show its characters in another order than they are written.
 *
 * <p>A marked line starts with {@value #MARK_START}, so the prefix must not ({@link #isUsablePrefix}); nor may it be
 * invisible: with an empty prefix a sent copy and a received message would be the same text from the same address.
 */
public final class OwnLines {
    /** How a marked line starts: the sender's address in angle brackets, as in a chat log. */
    public static final String MARK_START = "<";

    /** Letters of other scripts that look like Latin ones (a subset of Unicode's confusables, the common ones). */
    private static final Map<Character, Character> LOOK_LATIN = lookLatin(
            "АAВBЕEЅSІIЈJКKМMНHОOРPСCТTУYХXаaеeоoрpсcуyхxѕsіiјjһhԁdԛqԝwӏl"   // Cyrillic
            + "ΑAΒBΕEΖZΗHΙIΚKΜMΝNΟOΡPΤTΥYΧXοoνvιiαaκkρpυu"                   // Greek
            + "ıiɑaօoսu");                                                      // Latin dotless i, alpha; Armenian
    private static final String LINE_BREAKS = "\n\r\u000B\u000C\u0085\u2028\u2029";

    private final String prefix;

    /** @param prefix the configured prefix of sent copies (see {@link #isUsablePrefix}) */
    public OwnLines(String prefix) {
        this.prefix = canonical(prefix == null ? "" : prefix);
    }

    /**
     * Whether a prefix tells sent copies apart: it has a visible character, and its first one is not
     * {@value #MARK_START}, which starts the marked lines of received messages.
     */
    public static boolean isUsablePrefix(String prefix) {
        String seen = prefix == null ? "" : canonical(prefix);
        return !seen.isEmpty() && !seen.startsWith(MARK_START);
    }

    /**
     * The text of a received message as a client without carbons is shown it: every line that reads like a line
     * the account sent starts with {@code <sender> }; other lines, and all of any text without such a line, as
     * they are. Null stays null.
     */
    public String marked(String text, String sender) {
        if (text == null || prefix.isEmpty()) {
            return text;
        }
        StringBuilder out = null;
        int start = 0;
        while (start <= text.length()) {
            int end = lineEnd(text, start);
            if (readsAsSent(text, start, end)) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 32).append(text, 0, start);
                }
                out.append(MARK_START).append(sender == null || sender.isEmpty() ? "?" : sender).append("> ");
            }
            int next = end < text.length() ? end + breakLength(text, end) : text.length() + 1;
            if (out != null) {
                out.append(text, start, Math.min(next, text.length()));
            }
            start = next;
        }
        return out == null ? text : out.toString();
    }

    /** Whether {@code text} anywhere contains what reads like the prefix (for rich text, whose lines cannot be told). */
    public boolean containsLookAlike(String text) {
        return text != null && !prefix.isEmpty() && (canonical(text).contains(prefix) || hasBidiControl(text, 0, text.length()));
    }

    /** Whether the line {@code [start, end)} of {@code text} reads like a sent line. */
    private boolean readsAsSent(String text, int start, int end) {
        int visible = start;
        while (visible < end && isBlankOrFormat(text.charAt(visible))) {
            visible++;
        }
        if (hasBidiControl(text, start, visible)) {
            return true;
        }
        // Look at a window of the line, widened while what it reads as is shorter than the prefix: format
        // characters may hide between the prefix's letters, so no fixed number of characters is enough.
        for (int window = prefix.length() * 2 + 8; ; window *= 2) {
            int stop = (int) Math.min(end, (long) visible + window);
            String seen = canonical(text.substring(visible, stop));
            if (seen.length() > prefix.length() || stop == end) {
                return seen.startsWith(prefix);
            }
        }
    }

    /** Text as a reader sees it, for comparing: see the class comment. */
    static String canonical(String text) {
        String compatible = Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder seen = new StringBuilder(compatible.length());
        for (int i = 0; i < compatible.length(); i++) {
            char c = compatible.charAt(i);
            int type = Character.getType(c);
            if (type == Character.FORMAT || isInvisibleFiller(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                continue;
            }
            if (type == Character.START_PUNCTUATION) {
                c = '[';
            } else if (type == Character.END_PUNCTUATION) {
                c = ']';
            } else {
                c = LOOK_LATIN.getOrDefault(c, c);
            }
            seen.append(c);
        }
        return seen.toString().toLowerCase(Locale.ROOT);
    }

    /** Characters that show as nothing but are not of the format category (Hangul fillers, the braille blank, variation selectors). */
    private static boolean isInvisibleFiller(char c) {
        return c == '\u115F' || c == '\u1160' || c == '\u3164' || c == '\uFFA0' || c == '\u2800' || c == '\u034F'
                || (c >= '\uFE00' && c <= '\uFE0F') || (c >= '\u180B' && c <= '\u180D');
    }

    private static boolean isBlankOrFormat(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.getType(c) == Character.FORMAT
                || isInvisibleFiller(c);
    }

    /** Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they reorder what follows. */
    private static boolean hasBidiControl(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if ((c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')) {
                return true;
            }
        }
        return false;
    }

    private static int lineEnd(String text, int start) {
        for (int i = start; i < text.length(); i++) {
            if (LINE_BREAKS.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return text.length();
    }

    private static int breakLength(String text, int at) {
        return text.charAt(at) == '\r' && at + 1 < text.length() && text.charAt(at + 1) == '\n' ? 2 : 1;
    }

    private static Map<Character, Character> lookLatin(String pairs) {
        Map<Character, Character> map = new java.util.HashMap<>();
        for (int i = 0; i + 1 < pairs.length(); i += 2) {
            map.put(pairs.charAt(i), pairs.charAt(i + 1));
        }
        return Map.copyOf(map);
    }
}
