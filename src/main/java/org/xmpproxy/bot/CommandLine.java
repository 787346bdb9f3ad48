package org.xmpproxy.bot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One chat line typed to the bot: a command word (case-insensitive) and its arguments. Arguments
 * are separated by spaces; an argument with spaces goes in double or single quotes, in which a
 * backslash escapes the next character. Nothing is executed here; hostile input only ever yields
 * a parse error.
 */
public record CommandLine(String command, List<String> args) {
    /** Longer lines are refused rather than parsed. */
    public static final int MAX_LENGTH = 2048;

    public CommandLine {
        args = List.copyOf(args);
    }

    /** Why a line could not be parsed. */
    public enum Problem { EMPTY, TOO_LONG, UNCLOSED_QUOTE, CONTROL_CHARACTER }

    /** The parsed line, or the problem. */
    public record Parsed(Optional<CommandLine> line, Optional<Problem> problem) {
        static Parsed ok(CommandLine line) {
            return new Parsed(Optional.of(line), Optional.empty());
        }

        static Parsed error(Problem problem) {
            return new Parsed(Optional.empty(), Optional.of(problem));
        }
    }

    public static Parsed parse(String text) {
        if (text == null || text.isBlank()) {
            return Parsed.error(Problem.EMPTY);
        }
        if (text.length() > MAX_LENGTH) {
            return Parsed.error(Problem.TOO_LONG);
        }
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (Character.isISOControl(ch) && ch != '\t' && ch != '\n' && ch != '\r') {
                return Parsed.error(Problem.CONTROL_CHARACTER);
            }
            if (quote != 0) {
                if (ch == '\\' && i + 1 < text.length()) {
                    word.append(text.charAt(++i));
                } else if (ch == quote) {
                    quote = 0;
                } else {
                    word.append(ch);
                }
            } else if (Character.isWhitespace(ch)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                if (word == null) {
                    word = new StringBuilder();
                }
                if (ch == '"' || ch == '\'') {
                    quote = ch;
                } else {
                    word.append(ch);
                }
            }
        }
        if (quote != 0) {
            return Parsed.error(Problem.UNCLOSED_QUOTE);
        }
        if (word != null) {
            words.add(word.toString());
        }
        if (words.isEmpty()) {
            return Parsed.error(Problem.EMPTY);
        }
        return Parsed.ok(new CommandLine(words.get(0).toLowerCase(Locale.ROOT), words.subList(1, words.size())));
    }
}
