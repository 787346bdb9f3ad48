package org.xmpproxy.openfire;

import java.io.ObjectInput;
import java.io.ObjectOutput;
import org.jivesoftware.util.cache.ClusterTask;

/**
 * Asks another node to write its store's queue (history rows and catch-up marks routed or moved there so far) before
 * a catch-up here reads them; answers whether it did, within a bounded wait (JDK types only). Public with a public
 * no-argument constructor, for the receiving node's deserialisation. A node without a running plugin answers null.
 */
public final class FlushTask implements ClusterTask<Boolean> {
    private Boolean result;

    public FlushTask() {
    }

    @Override
    public void run() {
        Object flushed = ClusterLink.toRunningPlugin(ClusterLink.FLUSH, null);
        result = flushed instanceof Boolean written ? written : null;
    }

    @Override
    public Boolean getResult() {
        return result;
    }

    @Override
    public void writeExternal(ObjectOutput out) {
        // nothing to send: the question is the task itself
    }

    @Override
    public void readExternal(ObjectInput in) {
        // nothing sent
    }
}
