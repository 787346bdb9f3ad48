package org.jivesoftware.database;

/** Compile-only mirror of Openfire 5.1.1 {@code SequenceManager} (a class; ids unique across a cluster, from {@code ofID}). */
public class SequenceManager {
    public SequenceManager(int seqType, int size) {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    /** The next id of {@code type}; throws IllegalStateException when the database cannot give one. */
    public static long nextID(int type) {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
