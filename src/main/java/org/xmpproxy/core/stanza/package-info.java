/**
 * Reading a message's parts: the namespaces the rule and the copy forms use, small helpers over a
 * stanza's child elements, addresses compared without building their text and read without throwing ({@code JidSet},
 * {@code Jids}), and {@code BadInput}, what a stanza carried that cannot be taken as written (counted, logged once). The
 * bottom of {@code core}: both the rule and the copy forms read stanzas.
 * <p>May import: {@code org.xmpp.*}, {@code org.dom4j.*}, slf4j (to log bad input once); nothing of ours.
 */
package org.xmpproxy.core.stanza;
