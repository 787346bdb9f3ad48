package org.xmpproxy.core.rule;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one way an enum's constants are written and read as users type them (the bot, the admin page,
 * a system property, a database column): the constant's name in lower case, {@code _} as {@code -};
 * read back ignoring case and surrounding spaces. {@link ResourceMode} and
 * {@link org.xmpproxy.core.settings.Enrollment} both use it.
 */
public final class Label {
    private Label() {
    }

    public static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static <E extends Enum<E>> Optional<E> parse(Class<E> type, String text) {
        if (text == null) {
            return Optional.empty();
        }
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (of(constant).equals(wanted)) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }

    /** Every constant's label, in declaration order (the choices a page or a form offers). */
    public static List<String> all(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(Label::of).toList();
    }
}
