package org.xmpproxy.store;

import org.xmpproxy.core.catchup.LiveSpans;
import org.xmpproxy.core.rule.ResourceMode;

/**
 * What is kept per (account, resource name).
 *
 * @param mode      the resource's chosen mode, or null for the server default
 * @param lastSeen  its catch-up mark: it has every message routed up to this time (epoch millis),
 *                  or null if it was never seen
 * @param live      spans after the mark when it was online and got messages live
 */
public record ResourcePrefs(ResourceMode mode, Long lastSeen, LiveSpans live) {
    public static final ResourcePrefs NONE = new ResourcePrefs(null, null, LiveSpans.NONE);

    public ResourcePrefs {
        live = live == null ? LiveSpans.NONE : live;
    }

    public ResourcePrefs withMode(ResourceMode newMode) {
        return new ResourcePrefs(newMode, lastSeen, live);
    }

    public ResourcePrefs withCatchupState(Long mark, LiveSpans spans) {
        return new ResourcePrefs(mode, mark, spans);
    }

    /** These prefs, set in memory since the start, over those {@code stored} in the database: each part set here wins. */
    public ResourcePrefs over(ResourcePrefs stored) {
        return new ResourcePrefs(mode != null ? mode : stored.mode(),
                lastSeen != null ? lastSeen : stored.lastSeen(), lastSeen != null ? live : stored.live());
    }
}
