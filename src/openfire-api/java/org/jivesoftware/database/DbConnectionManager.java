package org.jivesoftware.database;

import java.sql.Connection;
import java.sql.SQLException;

/** Compile-only mirror of Openfire 5.1.1 {@code DbConnectionManager} (a class of static methods). */
public class DbConnectionManager {
    private DbConnectionManager() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    /** A pooled connection; closing it returns it to the pool. */
    public static Connection getConnection() throws SQLException {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
