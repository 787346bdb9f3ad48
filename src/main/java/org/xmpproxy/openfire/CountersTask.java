package org.xmpproxy.openfire;

import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.util.HashMap;
import org.jivesoftware.util.cache.ClusterTask;

/**
 * Asks another node for its counters (label key to value: JDK types only), for the admin page and the bot's
 * {@code stats}. Public with a public no-argument constructor, for the receiving node's deserialisation.
 */
public final class CountersTask implements ClusterTask<HashMap<String, Long>> {
    private HashMap<String, Long> result;

    public CountersTask() {
    }

    @Override
    @SuppressWarnings("unchecked")
    public void run() {
        Object counters = ClusterLink.toRunningPlugin(ClusterLink.COUNTERS, null);
        result = counters instanceof HashMap<?, ?> map ? (HashMap<String, Long>) map : null;
    }

    @Override
    public HashMap<String, Long> getResult() {
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
