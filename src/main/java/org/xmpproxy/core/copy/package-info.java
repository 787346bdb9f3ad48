/**
 * The stanzas of the copy forms the rule chooses (legacy, carbons, catch-up with a delay stamp), and the seal that
 * tells xmpproxy's copies from what anyone can write ({@code CopySeal}, HMAC-SHA256 of the JDK). Builds new packets,
 * never changes the original.
 * <p>May import: {@code org.xmpp.*}, {@code org.dom4j.*}, {@code org.xmpproxy.core.rule},
 * {@code org.xmpproxy.core.stanza}.
 */
package org.xmpproxy.core.copy;
