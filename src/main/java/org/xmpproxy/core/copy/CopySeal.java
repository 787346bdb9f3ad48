package org.xmpproxy.core.copy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.packet.Message;
import org.xmpproxy.core.stanza.Namespaces;
import org.xmpproxy.core.stanza.Stanzas;

/**
 * Tells xmpproxy's own copies from anything else carrying {@code <copy xmlns="urn:xmpproxy:copy:0"/>}. Anyone can
 * write that element; only xmpproxy knows the secret: each copy's mark carries {@code seal}, an HMAC-SHA256 (first 128
 * bits) over what catch-up reads of it: its {@code to} (the resource), {@code from} and {@code id}, the mark's
 * direction and catch-up flag, and the addresses and id of the message a carbon form forwards. Not the whole stanza:
 * Openfire adds a {@code <delay/>} to a copy it routes again (XEP-0198), and that copy must still be known.
 *
 * <p>A mark that does not verify is removed ({@link #strip}), with every other element of the namespace where a copy
 * could be taken for one: direct children, and those of a message forwarded in a direct child ({@code <forwarded/>}
 * or a carbon's wrapper). Only messages that carry the namespace pay for the check.
 */
public final class CopySeal {
    /** The mark's attribute that holds the seal. */
    public static final String ATTRIBUTE = "seal";
    /** The least length of a secret, in bytes (HMAC-SHA256 keys shorter than this are weak). */
    public static final int MIN_SECRET_BYTES = 16;
    private static final int SECRET_BYTES = 32;
    private static final int SEAL_BYTES = 16;
    private static final byte[] VERSION = "xmpproxy-copy-seal-1".getBytes(StandardCharsets.UTF_8);
    private static final QName SEAL = QName.get(ATTRIBUTE);
    private static final List<String> CARBON_WRAPPERS = List.of("sent", "received");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Initialised once; cloned for each use (a Mac is not thread-safe, and routing threads are many). */
    private final Mac prototype;
    private final SecretKeySpec key;

    private CopySeal(byte[] secret) {
        key = new SecretKeySpec(secret, "HmacSHA256");
        prototype = freshMac(key);
    }

    /** A seal with a secret of this run only (tests, and the fallback when none can be kept). */
    public static CopySeal random() {
        return new CopySeal(newSecretBytes());
    }

    /**
     * The seal of a kept secret, as {@link #newSecret} wrote it.
     *
     * @throws IllegalArgumentException when it is not Base64 of at least {@link #MIN_SECRET_BYTES} bytes
     */
    public static CopySeal of(String secret) {
        byte[] bytes = Base64.getDecoder().decode(secret == null ? "" : secret.trim());
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("a copy secret needs at least " + MIN_SECRET_BYTES + " bytes");
        }
        return new CopySeal(bytes);
    }

    /** A new random secret, as text to keep. */
    public static String newSecret() {
        return Base64.getEncoder().encodeToString(newSecretBytes());
    }

    private static byte[] newSecretBytes() {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return secret;
    }

    /** Seals the copy's mark for the copy as it is now addressed (call after its last change, and again after a change). */
    public void seal(Message copy) {
        Element mark = Stanzas.child(copy, Namespaces.COPY_MARK, Namespaces.XMPPROXY);
        if (mark == null) {
            throw new IllegalArgumentException("not a copy: no mark to seal");
        }
        mark.addAttribute(SEAL, Base64.getEncoder().withoutPadding().encodeToString(compute(copy, mark)));
    }

    /** Whether the message's mark is one xmpproxy sealed, for the message as it is now. */
    public boolean isSealed(Message message) {
        Element mark = Stanzas.child(message, Namespaces.COPY_MARK, Namespaces.XMPPROXY);
        String written = mark == null ? null : mark.attributeValue(SEAL);
        if (written == null) {
            return false;
        }
        byte[] claimed;
        try {
            claimed = Base64.getDecoder().decode(written);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(claimed, compute(message, mark));
    }

    /**
     * Whether the message carries an element of xmpproxy's namespace anywhere {@link #strip} removes one. Cheap:
     * read for every message that enters the router.
     */
    public static boolean carriesMark(Message message) {
        Element element = message.getElement();
        for (int i = 0, n = element.nodeCount(); i < n; i++) {
            if (element.node(i) instanceof Element child) {
                String namespace = child.getNamespaceURI();
                if (Namespaces.XMPPROXY.equals(namespace) || (mayForward(namespace) && marksIn(forwardedMessageIn(child), false))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A direct child that may hold a forwarded message: {@code <forwarded/>} itself, or a carbon's wrapper. */
    private static boolean mayForward(String namespace) {
        return Namespaces.FORWARD.equals(namespace) || namespace.startsWith(Namespaces.CARBONS_PREFIX);
    }

    /** Removes every element of xmpproxy's namespace that {@link #carriesMark} finds. */
    public static void strip(Message message) {
        Element element = message.getElement();
        for (Element child : List.copyOf(element.elements())) {
            if (Namespaces.XMPPROXY.equals(child.getNamespaceURI())) {
                element.remove(child);
            } else if (mayForward(child.getNamespaceURI())) {
                marksIn(forwardedMessageIn(child), true);
            }
        }
    }

    /** The message a direct child forwards: {@code <forwarded><message/>} itself, or inside a wrapper (carbons). */
    private static Element forwardedMessageIn(Element child) {
        Element forwarded = Namespaces.FORWARD.equals(child.getNamespaceURI()) && "forwarded".equals(child.getName()) ? child
                : firstChild(child, "forwarded", Namespaces.FORWARD);
        return forwarded == null ? null : firstChild(forwarded, "message", null);
    }

    /** Whether {@code message} has a child in xmpproxy's namespace; removes them all when {@code remove}. */
    private static boolean marksIn(Element message, boolean remove) {
        if (message == null) {
            return false;
        }
        boolean found = false;
        for (Element child : remove ? List.copyOf(message.elements()) : message.elements()) {
            if (Namespaces.XMPPROXY.equals(child.getNamespaceURI())) {
                found = true;
                if (!remove) {
                    return true;
                }
                message.remove(child);
            }
        }
        return found;
    }

    /** The first child of that name (and namespace, unless null), found without dom4j's shared QName cache. */
    private static Element firstChild(Element parent, String name, String namespace) {
        for (int i = 0, n = parent.nodeCount(); i < n; i++) {
            if (parent.node(i) instanceof Element child && name.equals(child.getName())
                    && (namespace == null || namespace.equals(child.getNamespaceURI()))) {
                return child;
            }
        }
        return null;
    }

    private byte[] compute(Message copy, Element mark) {
        Mac mac = mac();
        mac.update(VERSION);
        Element element = copy.getElement();
        field(mac, element.attributeValue("to"));
        field(mac, element.attributeValue("from"));
        field(mac, element.attributeValue("id"));
        field(mac, mark.attributeValue("direction"));
        field(mac, mark.attributeValue("catchup"));
        Element forwarded = null;
        for (int i = 0, n = element.nodeCount(); i < n && forwarded == null; i++) {
            if (element.node(i) instanceof Element child && CARBON_WRAPPERS.contains(child.getName())
                    && Namespaces.CARBONS.equals(child.getNamespaceURI())) {
                forwarded = forwardedMessageIn(child);
            }
        }
        field(mac, forwarded == null ? null : forwarded.attributeValue("from"));
        field(mac, forwarded == null ? null : forwarded.attributeValue("to"));
        field(mac, forwarded == null ? null : forwarded.attributeValue("id"));
        byte[] full = mac.doFinal();
        byte[] truncated = new byte[SEAL_BYTES];
        System.arraycopy(full, 0, truncated, 0, SEAL_BYTES);
        return truncated;
    }

    /** Each field with its length first, so that no two different sets of fields read alike. */
    private static void field(Mac mac, String value) {
        byte[] bytes = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
        int length = bytes == null ? -1 : bytes.length;
        for (int shift = 24; shift >= 0; shift -= 8) {
            mac.update((byte) (length >>> shift));
        }
        if (bytes != null) {
            mac.update(bytes);
        }
    }

    private Mac mac() {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            return freshMac(key); // a provider whose Mac cannot be cloned: slower, still correct
        }
    }

    private static Mac freshMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java 17", e);
        }
    }
}
