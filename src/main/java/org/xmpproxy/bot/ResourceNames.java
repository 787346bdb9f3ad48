package org.xmpproxy.bot;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Which resource names the bot's {@code mode} command (chat and ad-hoc) accepts: only names the store
 * can keep and a client can have, so that a refused name writes nothing.
 *
 * <p>The one length check of the bot. The store is getting its own length-check helper in
 * {@code store/}; this should then call it (lead: unify here).
 */
final class ResourceNames {
    /**
     * {@code ofXmpproxyResource.resourceName} is {@code VARCHAR(1024)} in every schema script
     * ({@code src/main/database/xmpproxy_*.sql}; {@code VARCHAR2} on Oracle, {@code NVARCHAR} on SQL Server).
     * That counts characters on PostgreSQL, MySQL/MariaDB, CockroachDB and Firebird (code points), on
     * HSQLDB and SQL Server (UTF-16 units), but UTF-8 bytes on Oracle (byte length semantics, the default)
     * and DB2 (OCTETS): a name must fit in all of them.
     */
    static final int RESOURCE_NAME_COLUMN_SIZE = 1024;

    /** RFC 7622 3.4: a resourcepart is at most 1023 bytes of UTF-8, so no client has a longer one. */
    static final int RFC7622_MAX_BYTES = 1023;

    /** Why a name is refused. */
    enum Problem { BLANK, CONTROL_CHARACTER, TOO_LONG }

    private ResourceNames() {
    }

    static Optional<Problem> check(String name) {
        if (name.isBlank()) {
            return Optional.of(Problem.BLANK);
        }
        // Control characters (RFC 7622 forbids them) and lone surrogates (not text; UTF-8 cannot carry them).
        if (name.codePoints().anyMatch(c -> Character.isISOControl(c) || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE))) {
            return Optional.of(Problem.CONTROL_CHARACTER);
        }
        int bytes = utf8Length(name);
        boolean fitsCharacters = name.length() <= RESOURCE_NAME_COLUMN_SIZE; // UTF-16 units >= code points
        boolean fitsBytes = bytes <= RESOURCE_NAME_COLUMN_SIZE && bytes <= RFC7622_MAX_BYTES;
        return fitsCharacters && fitsBytes ? Optional.empty() : Optional.of(Problem.TOO_LONG);
    }

    /** The most UTF-8 bytes a name may have: what every column and the RFC allow. */
    static int maxBytes() {
        return Math.min(RESOURCE_NAME_COLUMN_SIZE, RFC7622_MAX_BYTES);
    }

    static int utf8Length(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length;
    }
}
