/**
 * The only code that imports {@code org.jivesoftware.*}: the plugin lifecycle, the packet
 * interceptor, sessions and delivery (in a cluster: the other nodes' sessions and copies for them), events, the database connection, system properties, and the
 * adapters that give the bot, the admin page and catch-up what they need. Thin: decisions live in {@code core}.
 */
package org.xmpproxy.openfire;
