package org.xmpproxy.openfire;

import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import org.jivesoftware.util.cache.ClusterTask;

/**
 * Tells the other nodes of a cluster about an account: its choices changed (committed), or the user is deleted or
 * created; or tells the senior member a trim of its history is due. Carries two strings. Public with a public no-argument constructor: the receiving node builds it through
 * the plugin's class loader (so the plugin must be installed there).
 */
public final class AccountNoticeTask implements ClusterTask<Void> {
    static final String CHANGED = "changed";
    static final String DELETED = "deleted";
    static final String CREATED = "created";
    /** To the senior member only: a trim of the account's history is due. */
    static final String TRIM = "trim";

    private String kind;
    private String username;

    /** For deserialisation. */
    public AccountNoticeTask() {
    }

    AccountNoticeTask(String kind, String username) {
        this.kind = kind;
        this.username = username;
    }

    @Override
    public void run() {
        ClusterLink.toRunningPlugin(kind, username);
    }

    @Override
    public Void getResult() {
        return null;
    }

    @Override
    public void writeExternal(ObjectOutput out) throws IOException {
        out.writeUTF(kind);
        out.writeUTF(username);
    }

    @Override
    public void readExternal(ObjectInput in) throws IOException {
        kind = in.readUTF();
        username = in.readUTF();
    }
}
