package org.xmpproxy.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    private static CommandLine ok(String text) {
        return CommandLine.parse(text).line().orElseThrow(() -> new AssertionError("did not parse: " + text));
    }

    private static Optional<CommandLine.Problem> problem(String text) {
        return CommandLine.parse(text).problem();
    }

    @Test
    void commandWordsAreCaseInsensitiveAndArgumentsKeepTheirCase() {
        assertEquals(new CommandLine("mode", List.of("Laptop", "LEGACY")), ok("  MoDe   Laptop LEGACY "));
    }

    @Test
    void quotedArgumentsKeepSpacesQuotesAndAnyUnicode() {
        assertEquals(List.of("My Laptop ✈", "off"), ok("mode \"My Laptop ✈\" off").args());
        assertEquals(List.of("it's \"here\"", "auto"), ok("mode 'it\\'s \"here\"' auto").args());
        assertEquals(List.of("日本語のPC", "carbons"), ok("mode 日本語のPC carbons").args());
        assertEquals(List.of("", "x"), ok("mode \"\" x").args());
    }

    @Test
    void hostileOrBrokenLinesAreRefusedNotGuessed() {
        assertEquals(Optional.of(CommandLine.Problem.EMPTY), problem("   "));
        assertEquals(Optional.of(CommandLine.Problem.EMPTY), problem(null));
        assertEquals(Optional.of(CommandLine.Problem.UNCLOSED_QUOTE), problem("mode \"My Laptop off"));
        assertEquals(Optional.of(CommandLine.Problem.CONTROL_CHARACTER), problem("mode a\u0000b off"));
        assertEquals(Optional.of(CommandLine.Problem.CONTROL_CHARACTER), problem("status\u001b[2J"));
        assertEquals(Optional.of(CommandLine.Problem.TOO_LONG), problem("x".repeat(CommandLine.MAX_LENGTH + 1)));
    }
}
