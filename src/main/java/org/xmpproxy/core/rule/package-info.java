/**
 * The copy rule, as tables a reader can check against XEP-0280 and XEP-0334: {@code Eligibility} (is a
 * message copied at all, and why not), {@code MirrorRule} (which resource gets which copy form, and why
 * the others get none), {@code OpenfireCarbons} (what Openfire already copies itself).
 * <p>Pure code on Tinder packets. May import: {@code org.xmpp.*}, {@code org.dom4j.*},
 * {@code org.xmpproxy.core.stanza}. Nothing of Openfire, the store, the bot or the admin page.
 */
package org.xmpproxy.core.rule;
