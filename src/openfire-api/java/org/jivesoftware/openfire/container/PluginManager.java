package org.jivesoftware.openfire.container;

/** Compile-only mirror of Openfire 5.1.1 {@code PluginManager} (a class); the plugin only receives it. */
public class PluginManager {
    private PluginManager() {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
