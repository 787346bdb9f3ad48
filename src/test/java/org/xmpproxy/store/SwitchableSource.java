package org.xmpproxy.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** A database that can be made unreachable and reachable again: connections fail as a pool's do when the server is away. */
final class SwitchableSource implements ConnectionSource {
    private final ConnectionSource database;
    private volatile boolean up = true;

    SwitchableSource(ConnectionSource database) {
        this.database = database;
    }

    void down() {
        up = false;
    }

    void up() {
        up = true;
    }

    @Override
    public Connection connection() throws SQLException {
        if (!up) {
            throw new SQLTransientConnectionException("Connection refused (test: the database is down)", "08001");
        }
        return database.connection();
    }
}
