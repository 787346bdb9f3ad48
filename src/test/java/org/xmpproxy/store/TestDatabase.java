package org.xmpproxy.store;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * A real database server for the store tests: embedded HSQLDB (Openfire's embedded database), or
 * PostgreSQL and MariaDB given as {@code -Dxmpproxy.test.<type>.url=jdbc:...} (started by
 * {@code .ci/databases}). Each gets a clean schema, installed as Openfire's SchemaManager would.
 */
record TestDatabase(String type, String url, String user, String password) implements ConnectionSource {
    private static final AtomicInteger HSQLDB_COUNT = new AtomicInteger();

    static TestDatabase hsqldb() {
        return new TestDatabase("hsqldb", "jdbc:hsqldb:mem:xmpproxy" + HSQLDB_COUNT.incrementAndGet(), "SA", "");
    }

    /** The server given for {@code type}, or the test is skipped (or fails, when CI requires the databases). */
    static TestDatabase server(String type) {
        String url = System.getProperty("xmpproxy.test." + type + ".url", "").trim();
        if (url.isEmpty()) {
            String reason = "no -Dxmpproxy.test." + type + ".url given: " + type + " store tests skipped"
                    + " (.ci/run starts the servers; locally: .ci/databases start)";
            if (Boolean.getBoolean("xmpproxy.test.requireDatabases")) {
                fail(reason);
            }
            System.out.println("SKIPPED " + reason);
            Assumptions.abort(reason);
        }
        return new TestDatabase(type, url, "xmpproxy", "xmpproxy");
    }

    @Override
    public Connection connection() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Drops what an earlier run left, creates Openfire's ofVersion and ofID tables, then runs our install script. */
    TestDatabase install() throws SQLException, IOException {
        try (Connection c = connection(); Statement s = c.createStatement()) {
            for (String table : new String[] {"ofXmpproxyHistory", "ofXmpproxyResource", "ofXmpproxyAccount", "ofVersion", "ofID"}) {
                try {
                    s.execute("DROP TABLE " + table);
                } catch (SQLException absent) {
                    // first run
                }
            }
            s.execute("CREATE TABLE ofVersion (name VARCHAR(50) NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (name))");
            s.execute("CREATE TABLE ofID (idType INTEGER NOT NULL, id BIGINT NOT NULL, PRIMARY KEY (idType))"); // Openfire's
            runScript(c, Path.of("src/main/database/xmpproxy_" + type + ".sql"));
        }
        return this;
    }

    /** Runs a script the way Openfire's SchemaManager.executeSQLScript does (5.1.1). */
    static void runScript(Connection c, Path script) throws IOException, SQLException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(script), StandardCharsets.UTF_8))) {
            boolean done = false;
            while (!done) {
                StringBuilder command = new StringBuilder();
                while (true) {
                    String line = in.readLine();
                    if (line == null) {
                        done = true;
                        break;
                    }
                    if (isCommandPart(line)) {
                        command.append(' ').append(line);
                    }
                    if (line.trim().endsWith(";")) {
                        break;
                    }
                }
                if (!done && !command.isEmpty()) {
                    try (Statement s = c.createStatement()) {
                        s.execute(command.toString());
                    }
                }
            }
        }
    }

    private static boolean isCommandPart(String line) {
        String trimmed = line.trim();
        return !trimmed.isEmpty() && !(trimmed.startsWith("//") || trimmed.startsWith("--") || trimmed.startsWith("#")
                || trimmed.startsWith("REM") || trimmed.startsWith("/*") || trimmed.startsWith("*"));
    }

    Optional<Integer> schemaVersion() throws SQLException {
        try (Connection c = connection(); var ps = c.prepareStatement("SELECT version FROM ofVersion WHERE name = ?")) {
            ps.setString(1, "xmpproxy");
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
            }
        }
    }
}
