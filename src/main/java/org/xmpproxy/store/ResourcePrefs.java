package org.xmpproxy.store;

import org.xmpproxy.core.rule.ResourceMode;

/**
 * What is kept per (account, resource name).
 *
 * @param mode      the resource's chosen mode, or null for the server default
 * @param lastSeen  when it was last available (epoch millis), or null if never seen
 */
public record ResourcePrefs(ResourceMode mode, Long lastSeen) {
    public static final ResourcePrefs NONE = new ResourcePrefs(null, null);

    public ResourcePrefs withMode(ResourceMode newMode) {
        return new ResourcePrefs(newMode, lastSeen);
    }

    public ResourcePrefs withLastSeen(Long seen) {
        return new ResourcePrefs(mode, seen);
    }
}
