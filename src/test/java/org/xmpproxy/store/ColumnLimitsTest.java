package org.xmpproxy.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The column limits: as the schema scripts declare them, in characters or (Oracle, DB2) bytes. */
class ColumnLimitsTest {
    @ParameterizedTest
    @ValueSource(strings = {"hsqldb", "postgresql", "mysql", "mariadb", "oracle", "sqlserver", "db2", "firebird", "cockroachdb"})
    void theSizesAreTheSchemaScripts(String type) throws IOException {
        Map<String, ColumnLimits.Column> declared = Map.of(
                "ofXmpproxyAccount.username", ColumnLimits.Column.USERNAME,
                "ofXmpproxyResource.username", ColumnLimits.Column.USERNAME,
                "ofXmpproxyHistory.username", ColumnLimits.Column.USERNAME,
                "ofXmpproxyResource.resourceName", ColumnLimits.Column.RESOURCE_NAME,
                "ofXmpproxyResource.copyMode", ColumnLimits.Column.COPY_MODE,
                "ofXmpproxyResource.liveSpans", ColumnLimits.Column.LIVE_SPANS,
                "ofXmpproxyHistory.peer", ColumnLimits.Column.PEER);
        Map<String, Integer> sizes = new HashMap<>();
        Pattern table = Pattern.compile("^CREATE TABLE (\\w+) \\((.*)\\)[^)]*$");
        Pattern text = Pattern.compile("(\\w+)\\s+N?VARCHAR2?\\((\\d+)\\)");
        for (String statement : SchemaScriptsTest.statements(Path.of("src/main/database/xmpproxy_" + type + ".sql"))) {
            Matcher t = table.matcher(statement);
            if (t.matches()) {
                Matcher column = text.matcher(t.group(2));
                while (column.find()) {
                    sizes.put(t.group(1) + "." + column.group(1), Integer.parseInt(column.group(2)));
                }
            }
        }
        assertEquals(declared.keySet(), sizes.keySet(), type + ": every text column has its limit");
        declared.forEach((column, limit) -> assertEquals(limit.size(), sizes.get(column), type + " " + column));
    }

    @Test
    void charactersOrBytesByDatabase() {
        assertEquals(ColumnLimits.BYTES, ColumnLimits.forProduct("Oracle"));
        assertEquals(ColumnLimits.BYTES, ColumnLimits.forProduct("DB2/LINUXX8664"));
        assertEquals(ColumnLimits.MYSQL, ColumnLimits.forProduct("MariaDB"));
        assertEquals(ColumnLimits.MYSQL, ColumnLimits.forProduct("MySQL"));
        assertEquals(ColumnLimits.CHARACTERS, ColumnLimits.forProduct("PostgreSQL"));
        assertEquals(ColumnLimits.CHARACTERS, ColumnLimits.forProduct("HSQL Database Engine"));
        assertEquals(ColumnLimits.CHARACTERS, ColumnLimits.forProduct("Microsoft SQL Server"));
        assertEquals(ColumnLimits.STRICT, ColumnLimits.forProduct(null));
    }

    @Test
    void bytesAreCountedAsTheDatabaseEncodesThem() {
        String ascii = "a".repeat(64);
        String swedish = "å".repeat(32); // 64 bytes
        String tooManyBytes = "å".repeat(33); // 33 characters, 66 bytes
        String emoji = "😀".repeat(16); // 32 UTF-16 units, 64 bytes
        for (ColumnLimits limits : new ColumnLimits[] {ColumnLimits.CHARACTERS, ColumnLimits.BYTES, ColumnLimits.STRICT}) {
            assertTrue(limits.fitsUsername(ascii));
            assertTrue(limits.fitsUsername(swedish));
            assertTrue(limits.fitsUsername(emoji));
            assertFalse(limits.fitsUsername(ascii + "a"));
            assertTrue(limits.fitsUsername(null));
        }
        assertTrue(ColumnLimits.CHARACTERS.fitsUsername(tooManyBytes));
        assertFalse(ColumnLimits.BYTES.fitsUsername(tooManyBytes));
        assertFalse(ColumnLimits.STRICT.fitsUsername(tooManyBytes));
        assertFalse(ColumnLimits.BYTES.fitsUsername("😀".repeat(16) + "a"));
        for (String s : new String[] {ascii, swedish, emoji, "日本語\uD800x"}) {
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length + (s.contains("\uD800") ? 2 : 0), ColumnLimits.utf8Length(s), s);
        }
        assertTrue(ColumnLimits.STRICT.fitsResource("r".repeat(1023)), "every resource RFC 7622 allows fits");
        assertTrue(ColumnLimits.BYTES.fitsResource("ж".repeat(511)));
        assertFalse(ColumnLimits.BYTES.fitsResource("ж".repeat(513)));
        assertTrue(ColumnLimits.CHARACTERS.fits(ColumnLimits.Column.STANZA, "x".repeat(20_000_000)));
        assertFalse(ColumnLimits.MYSQL.fits(ColumnLimits.Column.STANZA, "ж".repeat(8_400_000)), "MEDIUMTEXT holds 16 MB");
        assertEquals("strict", ColumnLimits.STRICT.toString().toLowerCase(Locale.ROOT));
    }
}
