package org.xmpproxy.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The history's block numbers from Openfire's {@code ofID} row, read and moved on the way SequenceManager 5.1.1 does
 * (select, then update where the id is still the one read) with a block of one: what the plugin gets in Openfire,
 * without Openfire. One instance stands for the whole cluster (SequenceManager holds a cluster-wide lock).
 */
final class OfIdSequence implements HistoryStore.IdBlocks {
    private final ConnectionSource db;

    OfIdSequence(ConnectionSource db) {
        this.db = db;
    }

    @Override
    public synchronized long next() throws SQLException {
        try (Connection c = db.connection()) {
            long current;
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM ofID WHERE idType = ?")) {
                ps.setInt(1, HistoryStore.ID_SEQUENCE_TYPE);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("no ofID row for type " + HistoryStore.ID_SEQUENCE_TYPE);
                    }
                    current = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE ofID SET id = ? WHERE idType = ? AND id = ?")) {
                ps.setLong(1, current + 1);
                ps.setInt(2, HistoryStore.ID_SEQUENCE_TYPE);
                ps.setLong(3, current);
                if (ps.executeUpdate() != 1) {
                    throw new SQLException("ofID moved under us");
                }
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
            return current;
        }
    }
}
