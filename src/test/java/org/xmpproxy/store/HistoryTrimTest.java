package org.xmpproxy.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmpproxy.core.rule.Direction;

/** When the writer trims an account's history: once per step of rows written for it, however they are batched. */
class HistoryTrimTest {
    /** The writer's connection, in auto-commit: the trim has nothing to commit itself. */
    private static final java.sql.Connection CONNECTION = (java.sql.Connection) java.lang.reflect.Proxy.newProxyInstance(
            HistoryTrimTest.class.getClassLoader(), new Class<?>[] {java.sql.Connection.class},
            (proxy, method, args) -> method.getName().equals("getAutoCommit") ? Boolean.TRUE : null);

    private final List<String> trimmed = new ArrayList<>();
    private final HistoryTrim trim = new HistoryTrim((c, username, keep) -> {
        trimmed.add(username + " to " + keep);
        return 0;
    }, () -> 100);

    private static List<HistoryEntry> rows(String username, int count) {
        List<HistoryEntry> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(new HistoryEntry(0, username, i, Direction.RECEIVED, "jane@example.org", true, "<message/>"));
        }
        return rows;
    }

    @Test
    void anAccountIsTrimmedOncePerStepWrittenForIt() {
        assertEquals(10, HistoryTrim.step(100));
        trim.written(CONNECTION, rows("john", 9));
        assertEquals(List.of(), trimmed, "not yet a step");
        trim.written(CONNECTION, rows("john", 1));
        assertEquals(List.of("john to 100"), trimmed);
        trim.written(CONNECTION, rows("john", 35)); // one batch of three and a half steps: one trim
        assertEquals(List.of("john to 100", "john to 100"), trimmed);
    }

    @Test
    void accountsAreCountedApart() {
        List<HistoryEntry> mixed = new ArrayList<>(rows("john", 9));
        mixed.addAll(rows("jane", 10));
        trim.written(CONNECTION, mixed);
        assertEquals(List.of("jane to 100"), trimmed);
    }

    @Test
    void manyQuietAccountsAreNotAllRemembered() {
        for (int i = 0; i <= HistoryTrim.MAX_ACCOUNTS_COUNTED + 1; i++) {
            trim.written(CONNECTION, rows("user" + i, 1));
        }
        trim.written(CONNECTION, rows("user0", 9)); // its one row before was forgotten with the others
        assertEquals(List.of(), trimmed);
        trim.written(CONNECTION, rows("user0", 1));
        assertEquals(List.of("user0 to 100"), trimmed);
    }

    @Test
    void aTrimTheDatabaseRefusesStopsNothingAndIsTriedAgainAStepLater() {
        List<String> tries = new ArrayList<>();
        HistoryTrim failing = new HistoryTrim((c, username, keep) -> {
            tries.add(username);
            throw new java.sql.SQLException("database away", "08001");
        }, () -> 100);
        failing.written(CONNECTION, rows("john", 10));
        failing.written(CONNECTION, rows("john", 10));
        assertEquals(List.of("john", "john"), tries, "no exception reached the writer; each step tried once");
    }
}
