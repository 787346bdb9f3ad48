package org.xmpproxy.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Where the store gets a JDBC connection: Openfire's pool in production, any DataSource in tests. */
@FunctionalInterface
public interface ConnectionSource {
    Connection connection() throws SQLException;
}
