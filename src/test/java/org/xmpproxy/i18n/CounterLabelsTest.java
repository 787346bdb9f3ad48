package org.xmpproxy.i18n;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every counter the admin page and the bot's stats show has its label in every language (a missing one would break the page). */
class CounterLabelsTest {
    @Test
    void everyCounterHasALabel() throws IOException {
        Pattern key = Pattern.compile("\"(counter\\.\\w+)\"");
        List<String> used;
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            used = sources.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
                try {
                    return key.matcher(Files.readString(p)).results().map(m -> m.group(1));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).distinct().toList();
        }
        assertTrue(used.containsAll(List.of("counter.historyQueuedBytes", "counter.legacyReceived", "counter.botQueueFull")),
                "found the counters of the store, the plugin and the bot: " + used);
        for (String bundle : List.of("xmpproxy_i18n.properties", "xmpproxy_i18n_sv.properties")) {
            Properties texts = new Properties();
            try (Reader in = Files.newBufferedReader(Path.of("src/main/i18n", bundle), StandardCharsets.UTF_8)) {
                texts.load(in);
            }
            for (String k : used) {
                assertTrue(texts.containsKey(k), bundle + " has " + k);
            }
        }
    }
}
