package org.xmpproxy.core.stanza;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stanza carried that xmpproxy could not take as written: counted (the bot's stats, the admin page), and
 * logged once per kind, as a warning, then at debug level: a stranger sending thousands must not flood the log.
 * Static: its readers are the packet path's static readers ({@code MessageKey}); a plugin reload starts it anew.
 */
public final class BadInput {
    private static final Logger LOG = LoggerFactory.getLogger(BadInput.class);
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();
    private static final LongAdder ADDRESSES = new LongAdder();
    private static final LongAdder FORGED_COPY_MARKS = new LongAdder();

    private BadInput() {
    }

    /** An address in a stanza that is none ({@code where}: which one, for the log). */
    public static void address(String where, String text) {
        ADDRESSES.increment();
        once("address", "xmpproxy: ignored a malformed address in {}: '{}'", where, printable(text));
    }

    /** A copy mark xmpproxy did not make (a stranger's, or one of a previous secret): removed. */
    public static void forgedCopyMark(String from) {
        FORGED_COPY_MARKS.increment();
        once("copyMark", "xmpproxy: removed a copy mark it did not make, from {}; the message is handled as any other",
                printable(from));
    }

    public static long addresses() {
        return ADDRESSES.sum();
    }

    public static long forgedCopyMarks() {
        return FORGED_COPY_MARKS.sum();
    }

    /** Stanza text as a log shows it: short, one line (a stranger chose it). */
    static String printable(String text) {
        if (text == null) {
            return "(none)";
        }
        String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    private static void once(String kind, String format, Object... args) {
        if (LOGGED.add(kind)) {
            LOG.warn(format + " (logged once; see the counters on the xmpproxy admin page)", args);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug(format, args);
        }
    }
}
