package org.xmpproxy.bot;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.xmpproxy.store.ColumnLimits;

/**
 * Which resource names the bot's {@code mode} command (chat and ad-hoc) accepts: only names a client can
 * have and the store can keep on any database ({@link ColumnLimits#STRICT}), so that a refused name
 * writes nothing and gets a clear answer.
 */
final class ResourceNames {
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
        boolean fits = utf8Length(name) <= RFC7622_MAX_BYTES && ColumnLimits.STRICT.fitsResource(name);
        return fits ? Optional.empty() : Optional.of(Problem.TOO_LONG);
    }

    /** The most UTF-8 bytes a name may have: what every column and the RFC allow. */
    static int maxBytes() {
        return Math.min(ColumnLimits.Column.RESOURCE_NAME.size(), RFC7622_MAX_BYTES);
    }

    static int utf8Length(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length;
    }
}
