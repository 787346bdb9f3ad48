package org.xmpproxy.bot;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.xmpp.packet.JID;
import org.xmpproxy.store.ColumnLimits;

/**
 * Which resource names the bot's {@code mode} command (chat and ad-hoc) accepts, and as what: the name as
 * Openfire binds it (resourceprep: compatibility forms, "Cafe\u0301" is "Café", "ﬁle" is "file", zero-width
 * characters dropped), so that the mode stored is the one the client's resource looks up; only names a client
 * can have and the store can keep on any database ({@link ColumnLimits#STRICT}), so that a refused name
 * writes nothing and gets a clear answer.
 */
final class ResourceNames {
    /** RFC 7622 3.4: a resourcepart is at most 1023 bytes of UTF-8, so no client has a longer one. */
    static final int RFC7622_MAX_BYTES = 1023;

    /** Why a name is refused. */
    enum Problem { BLANK, CONTROL_CHARACTER, NOT_A_NAME, TOO_LONG }

    /** A name as Openfire binds it, or why it cannot be one. */
    record Checked(String name, Problem problem) {
        Optional<Problem> refused() {
            return Optional.ofNullable(problem);
        }
    }

    private ResourceNames() {
    }

    static Checked prepared(String name) {
        if (name.isBlank()) {
            return new Checked(null, Problem.BLANK);
        }
        // Control characters (RFC 7622 forbids them) and lone surrogates (not text; UTF-8 cannot carry them).
        if (name.codePoints().anyMatch(c -> Character.isISOControl(c) || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE))) {
            return new Checked(null, Problem.CONTROL_CHARACTER);
        }
        if (utf8Length(name) > RFC7622_MAX_BYTES * 4) {
            return new Checked(null, Problem.TOO_LONG); // not worth preparing: no mapping shrinks it below the bound
        }
        String bound;
        try {
            bound = JID.resourceprep(name);
        } catch (IllegalArgumentException e) {
            // Prohibited by resourceprep (private use, non-characters, ...) or over 1023 bytes once prepared.
            return new Checked(null, utf8Length(name) > RFC7622_MAX_BYTES ? Problem.TOO_LONG : Problem.NOT_A_NAME);
        }
        if (bound == null || bound.isBlank()) {
            return new Checked(null, Problem.BLANK); // only characters resourceprep drops (zero-width spaces)
        }
        boolean fits = utf8Length(bound) <= RFC7622_MAX_BYTES && ColumnLimits.STRICT.fitsResource(bound);
        return fits ? new Checked(bound, null) : new Checked(null, Problem.TOO_LONG);
    }

    /** The most UTF-8 bytes a name may have: what every column and the RFC allow. */
    static int maxBytes() {
        return Math.min(ColumnLimits.Column.RESOURCE_NAME.size(), RFC7622_MAX_BYTES);
    }

    static int utf8Length(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length;
    }
}
