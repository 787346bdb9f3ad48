package org.jivesoftware.openfire.interceptor;

/** Compile-only mirror of Openfire 5.1.1 {@code PacketRejectedException} (a checked exception). */
public class PacketRejectedException extends Exception {
    public PacketRejectedException() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public PacketRejectedException(String msg) {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
