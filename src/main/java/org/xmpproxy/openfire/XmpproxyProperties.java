package org.xmpproxy.openfire;

import org.jivesoftware.util.SystemProperty;
import org.xmpproxy.core.rule.ResourceMode;
import org.xmpproxy.core.settings.Enrollment;
import org.xmpproxy.core.settings.MirrorConfig;

/**
 * The plugin's settings as Openfire system properties (Server &gt; System Properties, filtered by
 * plugin). They are built when the plugin loads and removed by Openfire when it unloads, so the
 * plugin name must equal {@code <name>} in plugin.xml. Read on every message: changes apply at once.
 */
final class XmpproxyProperties implements MirrorConfig {
    /** Must equal {@code <name>} in plugin.xml: Openfire removes the properties by this name on unload. */
    static final String PLUGIN_NAME = "xmpproxy";

    final SystemProperty<Boolean> enabled = SystemProperty.Builder.ofType(Boolean.class)
            .setKey("xmpproxy.enabled").setDefaultValue(true)
            .setDynamic(true).setPlugin(PLUGIN_NAME).build();

    final SystemProperty<String> enrollment = SystemProperty.Builder.ofType(String.class)
            .setKey("xmpproxy.enrollment").setDefaultValue(Enrollment.ALL.label())
            .setDynamic(true).setPlugin(PLUGIN_NAME).build();

    final SystemProperty<String> legacySentPrefix = SystemProperty.Builder.ofType(String.class)
            .setKey("xmpproxy.legacy.sentPrefix").setDefaultValue("[me] ")
            .setDynamic(true).setPlugin(PLUGIN_NAME).build();

    final SystemProperty<String> defaultMode = SystemProperty.Builder.ofType(String.class)
            .setKey("xmpproxy.resource.defaultMode").setDefaultValue(ResourceMode.AUTO.label())
            .setDynamic(true).setPlugin(PLUGIN_NAME).build();

    @Override
    public boolean enabled() {
        return Boolean.TRUE.equals(enabled.getValue());
    }

    /** An unreadable value falls back to the default rather than stopping mirroring. */
    @Override
    public Enrollment enrollment() {
        return Enrollment.parse(enrollment.getValue()).orElse(Enrollment.ALL);
    }

    @Override
    public String legacySentPrefix() {
        String prefix = legacySentPrefix.getValue();
        return prefix == null ? "" : prefix;
    }

    @Override
    public ResourceMode defaultMode() {
        return ResourceMode.parse(defaultMode.getValue()).orElse(ResourceMode.AUTO);
    }
}
