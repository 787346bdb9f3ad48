package org.jivesoftware.openfire;

/** Compile-only mirror of Openfire 5.1.1 {@code XMPPServerInfo} (an interface). */
public interface XMPPServerInfo {
    String getXMPPDomain();
}
