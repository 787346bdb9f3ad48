/**
 * Reading a message's parts: the namespaces the rule and the copy forms use, small helpers over a
 * stanza's child elements, and addresses compared without building their text ({@code JidSet}, {@code Jids}). The bottom of {@code core}: both the rule and the copy forms read stanzas.
 * <p>May import: {@code org.xmpp.*}, {@code org.dom4j.*}; nothing of ours.
 */
package org.xmpproxy.core.stanza;
