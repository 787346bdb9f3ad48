package org.xmpproxy.openfire;

import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.nio.charset.StandardCharsets;
import org.jivesoftware.util.cache.ClusterTask;

/**
 * A copy the routing node leaves to the node of its session: delivered there unless Openfire's tie-break gave that
 * session the original there ({@link ClusterCopies}). Its payload is JDK types only (the address, the copy's XML, the
 * original's key), so a plugin reloaded on either node reads what the other sent. The receiving node finds this class
 * through its plugins' class loaders: the plugin must be installed on every node.
 */
public final class ClusterCopyTask implements ClusterTask<Void> {
    private static final long serialVersionUID = 1L;

    private String to;
    private String copy;
    private String original;

    /** For deserialisation. */
    public ClusterCopyTask() {
    }

    ClusterCopyTask(String to, String copy, String original) {
        this.to = to;
        this.copy = copy;
        this.original = original;
    }

    @Override
    public Void getResult() {
        return null;
    }

    /**
     * Hands the copy to the xmpproxy running now, found by Openfire's plugin manager: after a reload Hazelcast may
     * still run this class of the unloaded instance, whose statics know no running plugin.
     */
    @Override
    public void run() {
        ClusterLink.toRunningPlugin(ClusterLink.COPY, ClusterCopies.pack(to, original, copy));
    }

    @Override
    public void writeExternal(ObjectOutput out) throws IOException {
        write(out, to);
        write(out, copy);
        write(out, original);
    }

    @Override
    public void readExternal(ObjectInput in) throws IOException {
        to = read(in);
        copy = read(in);
        original = read(in);
    }

    /** Length and UTF-8 bytes: writeUTF stops at 64 KB, and a message may be longer. */
    private static void write(ObjectOutput out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String read(ObjectInput in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
