package org.xmpproxy.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** A refused value (retrying can never succeed) told from a database that is away (retrying later will). */
class DataErrorsTest {
    @Test
    void dataAndConstraintErrorsAreData() {
        assertTrue(DataErrors.isDataError(new SQLException("value too long for type character varying(64)", "22001")));
        assertTrue(DataErrors.isDataError(new SQLException("duplicate key", "23505")));
        assertTrue(DataErrors.isDataError(new SQLException("Incorrect string value", "HY000", 1366)), "MySQL/MariaDB");
        assertTrue(DataErrors.isDataError(new IllegalStateException("a bug in one write")));
    }

    @Test
    void aBatchCarriesTheRowsErrorAsItsNextException() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 ... was aborted", null, 0, new int[0], null);
        batch.setNextException(new SQLException("ERROR: value too long", "22001"));
        assertTrue(DataErrors.isDataError(batch));
        assertTrue(DataErrors.describe(batch).startsWith("SQLState 22001: ERROR: value too long"));
        assertTrue(DataErrors.isDataError(new SQLException("wrapped", new SQLException("inner", "23000"))));
    }

    @Test
    void aDatabaseThatIsAwayIsNotData() {
        assertFalse(DataErrors.isDataError(new SQLTransientConnectionException("Connection refused", "08001")));
        assertFalse(DataErrors.isDataError(new SQLException("terminating connection due to administrator command", "57P01")));
        assertFalse(DataErrors.isDataError(new SQLException("General error: database alias does not exist", "S1000", -1)));
        assertFalse(DataErrors.isDataError(new SQLException("deadlock", "40001")));
        assertFalse(DataErrors.isDataError(new SQLException("no state")));
        SQLException looping = new SQLException("loop", "08006");
        looping.setNextException(looping);
        assertFalse(DataErrors.isDataError(looping));
    }
}
