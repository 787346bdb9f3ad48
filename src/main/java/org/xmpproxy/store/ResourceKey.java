package org.xmpproxy.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The database key of a resource name: its SHA-1 in hex, since a resource may be longer than an index allows. */
final class ResourceKey {
    private ResourceKey() {
    }

    static String of(String resource) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(resource.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
