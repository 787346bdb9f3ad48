package org.xmpproxy.store;

import java.util.Locale;

/**
 * The sizes of the store's text columns (src/main/database/xmpproxy_*.sql) and whether a value fits:
 * the one place to check a username, resource name or peer before it is queued for the database, so
 * that a value the database would refuse is turned away with a clear answer instead of failing a write.
 *
 * <p>Sizes count characters on most databases (PostgreSQL, MySQL/MariaDB with utf8mb4, HSQLDB, SQL
 * Server's NVARCHAR, Firebird with UTF8) and bytes on Oracle ({@code VARCHAR2} with the default byte
 * semantics) and DB2. {@link #CHARACTERS} counts UTF-16 code units ({@code String.length()}), never
 * fewer than the characters any of those databases counts; {@link #BYTES} also counts UTF-8 bytes.
 * {@link #STRICT} fits on every database: use it where the database is not at hand (the bot checking a
 * resource name typed in a {@code mode} command, the admin page checking a username), or
 * {@link StoreWriter#limits()} for the database in use.
 *
 * <p>Every method is cheap and allocation-free: safe on the packet path.
 */
public final class ColumnLimits {
    /** A text column and its declared size. */
    public enum Column {
        /** ofXmpproxyAccount, ofXmpproxyResource, ofXmpproxyHistory: the account's local part. */
        USERNAME(64),
        /** ofXmpproxyResource.resourceName: a resource name (RFC 7622 allows up to 1,023 bytes). */
        RESOURCE_NAME(1024),
        /** ofXmpproxyResource.copyMode: a {@link org.xmpproxy.core.rule.ResourceMode} label. */
        COPY_MODE(16),
        /** ofXmpproxyResource.liveSpans: {@link org.xmpproxy.core.catchup.LiveSpans#format()}. */
        LIVE_SPANS(1024),
        /** ofXmpproxyHistory.peer: the other party's bare JID (RFC 7622 allows up to 3,071 bytes: it may not fit). */
        PEER(1024),
        /** ofXmpproxyHistory.stanza: unbounded except on MySQL/MariaDB (MEDIUMTEXT, bytes). */
        STANZA(Integer.MAX_VALUE);

        private final int size;

        Column(int size) {
            this.size = size;
        }

        /** The declared size (characters or bytes, see {@link ColumnLimits}). */
        public int size() {
            return size;
        }
    }

    /** MEDIUMTEXT: 2^24 - 1 bytes. */
    static final int MEDIUMTEXT_BYTES = 16_777_215;

    /** Databases that count characters (and a stanza without a bound). */
    public static final ColumnLimits CHARACTERS = new ColumnLimits("characters", false, Integer.MAX_VALUE);
    /** Oracle and DB2: sizes in bytes (UTF-8). */
    public static final ColumnLimits BYTES = new ColumnLimits("bytes", true, Integer.MAX_VALUE);
    /** MySQL and MariaDB: characters, and the stanza in a MEDIUMTEXT. */
    public static final ColumnLimits MYSQL = new ColumnLimits("characters, MEDIUMTEXT stanza", false, MEDIUMTEXT_BYTES);
    /** Fits on every database: characters and bytes, stanza within a MEDIUMTEXT. */
    public static final ColumnLimits STRICT = new ColumnLimits("strict", true, MEDIUMTEXT_BYTES);

    private final String name;
    private final boolean bytes;
    private final int stanzaBytes;

    private ColumnLimits(String name, boolean bytes, int stanzaBytes) {
        this.name = name;
        this.bytes = bytes;
        this.stanzaBytes = stanzaBytes;
    }

    /** The limits for a database, by its JDBC product name ({@code DatabaseMetaData.getDatabaseProductName()}). */
    public static ColumnLimits forProduct(String productName) {
        String product = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        if (product.contains("oracle") || product.contains("db2")) {
            return BYTES;
        }
        if (product.contains("mysql") || product.contains("mariadb")) {
            return MYSQL;
        }
        if (product.isEmpty()) {
            return STRICT;
        }
        return CHARACTERS;
    }

    /** Whether {@code value} fits in {@code column} (null fits: the caller decides whether null is allowed). */
    public boolean fits(Column column, String value) {
        if (value == null) {
            return true;
        }
        if (column == Column.STANZA) {
            // A character is at most 3 UTF-8 bytes (a surrogate pair 4 for 2 chars): count only when it could matter.
            return (long) value.length() * 3 <= stanzaBytes || utf8Length(value) <= stanzaBytes;
        }
        int size = column.size();
        if (value.length() > size) {
            return false;
        }
        return !bytes || value.length() * 3L <= size || utf8Length(value) <= size;
    }

    public boolean fitsUsername(String username) {
        return fits(Column.USERNAME, username);
    }

    public boolean fitsResource(String resource) {
        return fits(Column.RESOURCE_NAME, resource);
    }

    public boolean fitsPeer(String peer) {
        return fits(Column.PEER, peer);
    }

    /** The UTF-8 length of {@code value}, without encoding it. */
    static long utf8Length(String value) {
        long length = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                length += 4;
                i++;
            } else { // including a lone surrogate, which a driver writes as '?' or U+FFFD: at most 3
                length += 3;
            }
        }
        return length;
    }

    @Override
    public String toString() {
        return name;
    }
}
