package org.xmpproxy.openfire;

import java.util.HexFormat;
import org.jivesoftware.util.cache.CacheFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;
import org.xmpproxy.core.flow.CarbonChecks;
import org.xmpproxy.core.rule.Direction;
import org.xmpproxy.core.rule.MessageAt;

/**
 * With three nodes or more: a carbon a failed node was to send a session of a third node, handed to that node in an
 * {@link AccountNoticeTask} (JDK strings only: a plugin reloaded on either node reads it), which saw whether it came
 * ({@code MirrorEngine.carbonMaybeMissed}). One line per field, the message's id last (it may hold any character; an
 * address holds no line break).
 */
final class CarbonCheck implements CarbonChecks {
    private static final Logger LOG = LoggerFactory.getLogger(CarbonCheck.class);
    static final String KIND = "carbon";

    @Override
    public void check(String node, JID resource, MessageAt message) {
        try {
            CacheFactory.doClusterTask(new AccountNoticeTask(KIND, pack(resource, message)), HexFormat.of().parseHex(node));
        } catch (RuntimeException e) {
            LOG.debug("xmpproxy: could not hand {} the carbon of {} it may have missed: {}", resource, message.id(), e.toString());
        }
    }

    static String pack(JID resource, MessageAt message) {
        return resource + "\n" + (message.direction() == Direction.SENT ? "S" : "R") + "\n" + message.peer() + "\n"
                + message.at() + "\n" + message.id();
    }

    /** The resource and the message, or null if it cannot be read (another version sent it). */
    static Unpacked unpack(String packed) {
        String[] fields = packed == null ? new String[0] : packed.split("\n", 5);
        if (fields.length != 5) {
            return null;
        }
        try {
            return new Unpacked(new JID(fields[0]), new MessageAt("S".equals(fields[1]) ? Direction.SENT : Direction.RECEIVED,
                    fields[2], fields[4], Long.parseLong(fields[3])));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    record Unpacked(JID resource, MessageAt message) {
    }
}
