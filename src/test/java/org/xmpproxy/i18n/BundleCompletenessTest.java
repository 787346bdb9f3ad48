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
import org.junit.jupiter.api.Test;
import org.xmpproxy.core.settings.AccountSetting;
import org.xmpproxy.core.settings.Setting;
import org.xmpproxy.core.settings.Settings;

/** Every text exists in every language, and every setting has its description (Server > System Properties) and labels. */
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

    /**
     * The bot's and the admin page's texts are MessageFormat patterns, where a lone apostrophe quotes and vanishes
     * ("each node's own" read "each nodes own"): an apostrophe is written twice. Openfire's System Properties page
     * shows {@code system_property.*} as plain text.
     */
    @Test
    void everyApostropheInAPatternIsWrittenTwice() throws IOException {
        for (String bundle : List.of("xmpproxy_i18n.properties", "xmpproxy_i18n_sv.properties")) {
            Properties texts = load(bundle);
            for (String key : texts.stringPropertyNames()) {
                if (key.startsWith("bot.") || key.startsWith("admin.")) {
                    String text = texts.getProperty(key);
                    assertTrue(!text.replace("''", "").contains("'"), bundle + " " + key + " has a lone apostrophe: " + text);
                }
            }
        }
    }

    @Test
    void everySettingHasItsTexts() throws IOException {
        for (String bundle : List.of("xmpproxy_i18n.properties", "xmpproxy_i18n_sv.properties")) {
            Properties texts = load(bundle);
            for (Setting<?> setting : Settings.SERVER) {
                assertTrue(texts.containsKey("system_property." + setting.key()), bundle + " describes " + setting.key());
                assertTrue(!setting.onPage() || texts.containsKey("admin.setting." + setting.key()), bundle + " labels " + setting.key());
                for (String option : setting.kind() == Setting.Kind.CHOICE ? setting.options() : List.<String>of()) {
                    assertTrue(texts.containsKey("admin.option." + option), bundle + " names the option " + option);
                }
            }
            for (AccountSetting<?> setting : Settings.ACCOUNT) {
                assertTrue(!setting.onAccountRow() || texts.containsKey("admin.account." + setting.key()),
                        bundle + " labels the account setting " + setting.key());
            }
        }
    }
}
