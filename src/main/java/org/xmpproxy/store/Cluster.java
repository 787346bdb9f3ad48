package org.xmpproxy.store;

import java.sql.SQLException;

/**
 * What the store needs of an Openfire cluster (the plugin's {@code openfire/ClusterLink}; alone, {@link #alone}):
 * history ids no other node issues, whether this node runs the jobs that must run once, and telling the other
 * nodes about an account so their memory follows the shared database. Alone, there are no other nodes.
 */
public interface Cluster extends HistoryStore.IdBlocks {
    /** Whether this node runs the cluster-wide jobs (the pruner) now: the senior member, or a server alone. Asked at each run. */
    boolean runsSharedJobs();

    /** The account's choices changed in the database (committed): the other nodes read them again. */
    void accountChanged(String username);

    /** The user is being deleted here: the other nodes forget it too (Openfire tells only this node). */
    void userDeleted(String username);

    /** The user was created here (perhaps again under a deleted name): the other nodes keep its data again. */
    void userCreated(String username);

    /** A trim of the account's history is due (this node wrote a step of rows for it) and this node is not on duty: the senior trims. */
    void trimDue(String username);

    /**
     * Asks every other node to write what it has queued so far (history rows, catch-up marks: one queue), waiting a
     * bounded time, before a catch-up here reads them. Not on the packet path: it waits on the network.
     *
     * @return whether every other node answered that it did (alone: true)
     */
    boolean othersFlushed();

    /** Whether other nodes share the database now (then they may hold rows and marks not written yet). */
    boolean hasOthers();

    /**
     * Whether other nodes may have written a resource's mark since this node read it: clustered now, or set up to
     * be (a node that failed or left wrote marks before it went). Alone, this node holds the only mark there is.
     */
    default boolean othersMayHaveWritten() {
        return hasOthers();
    }

    /** A server alone: ids from {@code ids}, every job runs here, nobody to tell. */
    static Cluster alone(HistoryStore.IdBlocks ids) {
        return new Cluster() {
            @Override
            public long next() throws SQLException {
                return ids.next();
            }

            @Override
            public boolean runsSharedJobs() {
                return true;
            }

            @Override
            public void accountChanged(String username) {
            }

            @Override
            public void userDeleted(String username) {
            }

            @Override
            public void userCreated(String username) {
            }

            @Override
            public void trimDue(String username) {
            }

            @Override
            public boolean othersFlushed() {
                return true;
            }

            @Override
            public boolean hasOthers() {
                return false;
            }
        };
    }
}
