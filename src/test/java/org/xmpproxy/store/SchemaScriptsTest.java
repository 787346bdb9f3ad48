package org.xmpproxy.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xmpproxy.core.settings.Settings;

/**
 * The install scripts of the databases this machine cannot run (Oracle, SQL Server, DB2, Firebird,
 * CockroachDB, MySQL) read as Openfire's SchemaManager splits them, and declare the same tables and
 * columns as the HSQLDB script, which runs for real in {@link HsqldbStoreTest}.
 */
class SchemaScriptsTest {
    private static final Pattern TABLE = Pattern.compile("CREATE TABLE (\\w+) \\((.*)\\)[^)]*$");
    private static final Pattern COLUMN = Pattern.compile("^(\\w+)\\s+([A-Z]+[A-Z0-9_]*(\\([0-9A-Z, ]+\\))?)( CHARACTER SET UTF8)?( SUB_TYPE TEXT CHARACTER SET UTF8)?( NOT NULL)?$");

    /** Statements as SchemaManager.executeSQLScript cuts them: lines ending in ';', comment lines skipped. */
    static List<String> statements(Path script) throws IOException {
        List<String> statements = new ArrayList<>();
        StringBuilder command = new StringBuilder();
        for (String line : Files.readAllLines(script)) {
            String trimmed = line.trim();
            boolean comment = trimmed.isEmpty() || trimmed.startsWith("//") || trimmed.startsWith("--")
                    || trimmed.startsWith("#") || trimmed.startsWith("REM") || trimmed.startsWith("/*") || trimmed.startsWith("*");
            if (!comment) {
                command.append(' ').append(trimmed);
            }
            if (trimmed.endsWith(";")) {
                statements.add(command.toString().trim().replaceAll(";$", "").replaceAll("\\s+", " "));
                command.setLength(0);
            }
        }
        assertEquals("", command.toString().trim(), "nothing after the last statement");
        return statements;
    }

    static Map<String, List<String>> tables(String type) throws IOException {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        for (String statement : statements(Path.of("src/main/database/xmpproxy_" + type + ".sql"))) {
            Matcher table = TABLE.matcher(statement);
            if (table.find()) {
                List<String> columns = new ArrayList<>();
                for (String part : table.group(2).split(",(?![^(]*\\))")) {
                    String definition = part.trim();
                    if (definition.startsWith("CONSTRAINT")) {
                        continue;
                    }
                    Matcher column = COLUMN.matcher(definition);
                    assertTrue(column.matches(), type + ": unreadable column definition '" + definition + "'");
                    columns.add(column.group(1));
                }
                tables.put(table.group(1), columns);
            }
        }
        return tables;
    }

    @ParameterizedTest
    @ValueSource(strings = {"hsqldb", "mysql", "mariadb", "postgresql", "cockroachdb", "oracle", "sqlserver", "db2", "firebird"})
    void everyScriptDeclaresTheSameSchemaAndRecordsItsVersion(String type) throws IOException {
        assertEquals(tables("hsqldb"), tables(type));
        List<String> statements = statements(Path.of("src/main/database/xmpproxy_" + type + ".sql"));
        assertEquals("INSERT INTO ofVersion (name, version) VALUES ('xmpproxy', 2)", statements.get(statements.size() - 1));
        assertTrue(statements.contains("INSERT INTO ofID (idType, id) VALUES (" + HistoryStore.ID_SEQUENCE_TYPE + ", 1)"),
                type + ": the history's id sequence starts");
        assertTrue(statements.stream().anyMatch(s -> s.startsWith("CREATE INDEX ofXmpproxyHistory_user_idx ON ofXmpproxyHistory (username, sentAt)")));
    }

    /** Each database has its upgrade to 2: the id sequence starts above the ids in use, in blocks of BLOCK_SIZE, and the version moves. */
    @ParameterizedTest
    @ValueSource(strings = {"hsqldb", "mysql", "mariadb", "postgresql", "cockroachdb", "oracle", "sqlserver", "db2", "firebird"})
    void everyDatabaseHasItsUpgradeToHistoryIdBlocks(String type) throws IOException {
        List<String> statements = statements(Path.of("src/main/database/upgrade/2/xmpproxy_" + type + ".sql"));
        assertEquals(2, statements.size(), type);
        assertTrue(statements.get(0).startsWith("INSERT INTO ofID (idType, id) SELECT " + HistoryStore.ID_SEQUENCE_TYPE + ", "), type);
        assertTrue(statements.get(0).contains("MAX(id)") && statements.get(0).contains(" " + HistoryStore.BLOCK_SIZE + ")")
                || statements.get(0).contains(" " + HistoryStore.BLOCK_SIZE + " + 1"), type + ": " + statements.get(0));
        assertEquals("UPDATE ofVersion SET version = 2 WHERE name = 'xmpproxy'", statements.get(1));
    }

    /** Each per-account setting has its column in SettingsStore's table, and the schema has exactly those columns. */
    @Test
    void everyPerAccountSettingHasItsColumn() throws IOException {
        assertEquals(Settings.ACCOUNT, SettingsStore.ACCOUNT_COLUMNS.stream().map(SettingsStore.AccountColumn::setting).toList());
        List<String> expected = new ArrayList<>(List.of("username"));
        SettingsStore.ACCOUNT_COLUMNS.forEach(column -> expected.add(column.name()));
        expected.addAll(List.of("botAdded", "modified"));
        assertEquals(new TreeSet<>(expected), new TreeSet<>(tables("hsqldb").get("ofXmpproxyAccount")));
    }
}
