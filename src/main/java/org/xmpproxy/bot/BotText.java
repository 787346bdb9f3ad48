package org.xmpproxy.bot;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The bot's replies in the user's language, from {@code i18n/xmpproxy_i18n*.properties} (on the plugin's
 * class path); English when the language or a key is missing. Every {@code bot.*} text is a
 * {@link MessageFormat} pattern.
 */
public final class BotText {
    private static final String BUNDLE = "xmpproxy_i18n";

    private final ResourceBundle bundle;
    private final ResourceBundle english;

    private BotText(ResourceBundle bundle, ResourceBundle english) {
        this.bundle = bundle;
        this.english = english;
    }

    /** @param language the xml:lang of the user's message, or null */
    public static BotText forLanguage(String language, ClassLoader loader) {
        Locale locale = language == null || language.isBlank() ? Locale.ENGLISH : Locale.forLanguageTag(language);
        ResourceBundle.Control noSystemFallback = ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);
        ResourceBundle english = ResourceBundle.getBundle(BUNDLE, Locale.ROOT, loader, noSystemFallback);
        ResourceBundle localized = ResourceBundle.getBundle(BUNDLE, locale, loader, noSystemFallback);
        return new BotText(localized, english);
    }

    public Locale locale() {
        return bundle.getLocale();
    }

    /** The language of these texts as an xml:lang value ("en" for the English fallback). */
    public String language() {
        Locale locale = bundle.getLocale();
        return locale == null || locale.getLanguage().isEmpty() ? "en" : locale.toLanguageTag();
    }

    public String get(String key, Object... args) {
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException e) {
            pattern = english.getString(key);
        }
        // Every text is a MessageFormat pattern, with or without arguments: '' is an apostrophe.
        return new MessageFormat(pattern, Locale.ROOT).format(args);
    }
}
