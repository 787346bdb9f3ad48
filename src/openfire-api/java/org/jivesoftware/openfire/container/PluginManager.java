package org.jivesoftware.openfire.container;

/** Compile-only mirror of Openfire 5.1.1 {@code PluginManager} (a class). */
public class PluginManager {
    private PluginManager() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    /** The loaded plugin whose plugin.xml name is {@code pluginName} (ignoring case), if any. */
    public synchronized java.util.Optional<Plugin> getPluginByName(final String pluginName) {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
