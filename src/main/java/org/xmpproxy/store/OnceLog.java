package org.xmpproxy.store;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/** Bad input is logged once per kind, the first time (a warning), and at debug level after that: never a line per packet. */
final class OnceLog {
    private final Logger log;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    OnceLog(Logger log) {
        this.log = log;
    }

    void warn(String kind, String format, Object... args) {
        if (seen.add(kind)) {
            log.warn(format + " (logged once; see the counters on the xmpproxy admin page)", args);
        } else if (log.isDebugEnabled()) {
            log.debug(format, args);
        }
    }
}
