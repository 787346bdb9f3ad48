package org.jivesoftware.openfire.session;

import java.util.Locale;
import org.jivesoftware.openfire.StreamID;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;
import org.xmpp.packet.StreamError;

/**
 * Compile-only mirror of Openfire 5.1.1 {@code Session} (an interface; the real one extends
 * {@code RoutableChannelHandler} and redeclares {@code process} without checked exceptions).
 */
public interface Session {
    JID getAddress();

    /** The session's stream id: unique per session, kept when a stream is resumed (XEP-0198). */
    StreamID getStreamID();

    /** A default method in the real interface. */
    default boolean isClosed() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    void process(Packet packet);

    /**
     * A default method in the real interface: with an error, marks the session non-resumable, delivers the error,
     * then closes it.
     */
    default void close(StreamError error) {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    /** The language of the session's stream ({@code xml:lang} of the client's stream header). */
    Locale getLanguage();
}
