package org.xmpproxy.store;

/** Lets tests outside this package use a fresh HSQLDB with the plugin's schema installed. */
public final class TestDatabaseAccess {
    private TestDatabaseAccess() {
    }

    public static ConnectionSource freshHsqldb() throws Exception {
        return TestDatabase.hsqldb().install();
    }
}
