/**
 * The root bot at {@code xmpproxy.<domain>}: chat commands, XEP-0050 ad-hoc commands, disco and
 * version, its texts in every language. Every command, with its ad-hoc form, is one entry of
 * {@code CommandHandler}'s table. What it reads and changes is behind {@code BotBackend}: one plain
 * question or change a method; the logic (paging, limits, replay, the replies) is here.
 * <p>May import: Tinder (a Tinder component), dom4j, slf4j, {@code org.xmpproxy.core.*} and the store's
 * {@code ColumnLimits} (to refuse a name before anything is written); never Openfire.
 */
package org.xmpproxy.bot;
