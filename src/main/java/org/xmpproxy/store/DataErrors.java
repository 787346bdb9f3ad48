package org.xmpproxy.store;

import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Tells a write the database refused because of the data (retrying it can never succeed) from a
 * database that is away (retrying later will). Data errors are the SQL standard's classes 22 (data
 * exception: too long, out of range, bad characters) and 23 (integrity constraint violation), in the
 * exception or anywhere in its chain (a batch failure carries the row's error as its next exception).
 * MySQL and MariaDB report some data errors with the general state HY000: those vendor codes count too.
 * A RuntimeException counts as a data error: our own code or a driver refused a value.
 */
final class DataErrors {
    /** MySQL/MariaDB: 1366 incorrect string value, 1292 incorrect value, 1406 data too long, 1264 out of range, 1048 null. */
    private static final Set<Integer> MYSQL_DATA_CODES = Set.of(1366, 1292, 1406, 1264, 1048);

    private DataErrors() {
    }

    static boolean isDataError(Throwable error) {
        if (error instanceof RuntimeException) {
            return true;
        }
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> todo = new ArrayDeque<>();
        todo.add(error);
        while (!todo.isEmpty()) {
            Throwable t = todo.poll();
            if (t == null || !seen.add(t)) {
                continue;
            }
            if (t instanceof SQLException sql) {
                if (isData(sql)) {
                    return true;
                }
                if (sql.getNextException() != null) {
                    todo.add(sql.getNextException());
                }
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
        }
        return false;
    }

    /** The SQLState (or vendor code) of the first exception in the chain that has one, for the log. */
    static String describe(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                SQLException next = sql.getNextException(); // a batch's own message may quote the whole statement
                SQLException shown = next != null && isData(next) ? next : sql;
                String message = String.valueOf(shown.getMessage()).strip();
                return "SQLState " + shown.getSQLState() + ": "
                        + (message.length() <= 200 ? message : message.substring(0, 200) + "...");
            }
        }
        return error.toString();
    }

    private static boolean isData(SQLException e) {
        if (e instanceof SQLDataException || e instanceof SQLIntegrityConstraintViolationException) {
            return true;
        }
        String state = e.getSQLState();
        if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
            return true;
        }
        return "HY000".equals(state) && MYSQL_DATA_CODES.contains(e.getErrorCode());
    }
}
