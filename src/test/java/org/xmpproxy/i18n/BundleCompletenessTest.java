package org.xmpproxy.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every text exists in every language, and every system property has its description (Server > System Properties). */
class BundleCompletenessTest {
    private static final Path I18N = Path.of("src/main/i18n");

    private static Properties load(String name) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(I18N.resolve(name), StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        return properties;
    }

    @Test
    void swedishHasEveryEnglishKeyAndNoOther() throws IOException {
        Set<String> english = new TreeSet<>(load("xmpproxy_i18n.properties").stringPropertyNames());
        Set<String> swedish = new TreeSet<>(load("xmpproxy_i18n_sv.properties").stringPropertyNames());
        assertEquals(english, swedish);
    }

    @Test
    void everySystemPropertyHasADescription() throws IOException {
        String source = Files.readString(Path.of("src/main/java/org/xmpproxy/openfire/XmpproxyProperties.java"));
        Matcher key = Pattern.compile("setKey\\(\"([^\"]+)\"\\)").matcher(source);
        List<String> keys = key.results().map(m -> m.group(1)).toList();
        assertTrue(keys.size() >= 4, "found the properties: " + keys);
        for (String bundle : List.of("xmpproxy_i18n.properties", "xmpproxy_i18n_sv.properties")) {
            Properties texts = load(bundle);
            for (String k : keys) {
                assertTrue(texts.containsKey("system_property." + k), bundle + " describes " + k);
            }
        }
    }
}
