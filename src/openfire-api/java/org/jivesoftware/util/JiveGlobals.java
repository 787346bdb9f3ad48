package org.jivesoftware.util;

import java.util.Locale;

/** Compile-only mirror of Openfire 5.1.1 {@code JiveGlobals} (a class of static methods). */
public class JiveGlobals {
    private JiveGlobals() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    /** The server's locale: the admin console's language. */
    public static Locale getLocale() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public static boolean getBooleanProperty(String name, boolean defaultValue) {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
