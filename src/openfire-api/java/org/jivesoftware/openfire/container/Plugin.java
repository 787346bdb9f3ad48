package org.jivesoftware.openfire.container;

import java.io.File;

/** Compile-only mirror of Openfire 5.1.1 {@code Plugin} (an interface, no default methods). */
public interface Plugin {
    void initializePlugin(PluginManager manager, File pluginDirectory);

    void destroyPlugin();
}
