package org.xmpproxy.core.rule;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one way an enum's constants are written and read as users type them (the bot, the admin page,
 * a system property, a database column): the constant's name in lower case, {@code _} as {@code -};
 * read back ignoring case and surrounding spaces. {@link ResourceMode} and
 * {@link org.xmpproxy.core.settings.Enrollment} both use it.
 */
public final class Label {
    /** Each enum's constants by label, built once: settings are parsed on the packet path (the default mode per resource). */
    private static final ClassValue<Map<String, Enum<?>>> BY_LABEL = new ClassValue<>() {
        @Override
        protected Map<String, Enum<?>> computeValue(Class<?> type) {
            Map<String, Enum<?>> byLabel = new HashMap<>();
            for (Object constant : type.getEnumConstants()) {
                byLabel.put(of((Enum<?>) constant), (Enum<?>) constant);
            }
            return Map.copyOf(byLabel);
        }
    };

    private Label() {
    }

    public static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static <E extends Enum<E>> Optional<E> parse(Class<E> type, String text) {
        if (text == null) {
            return Optional.empty();
        }
        Map<String, Enum<?>> byLabel = BY_LABEL.get(type);
        Enum<?> constant = byLabel.get(text); // as stored: nothing to trim or lower
        if (constant == null) {
            constant = byLabel.get(text.trim().toLowerCase(Locale.ROOT));
        }
        return constant == null ? Optional.empty() : Optional.of(type.cast(constant));
    }

    /** Every constant's label, in declaration order (the choices a page or a form offers). */
    public static List<String> all(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(Label::of).toList();
    }
}
