package org.jivesoftware.openfire;

/** Compile-only mirror of Openfire 5.1.1 {@code XMPPServerListener} (an interface). */
public interface XMPPServerListener {
    /** The server has started (some plugins may still be loading). */
    void serverStarted();

    /**
     * The server is about to stop: called after it has left the cluster ({@code ClusterManager.shutdown}), before the
     * plugins and modules stop; every service still runs.
     */
    void serverStopping();
}
