/**
 * What xmpproxy counts, as one list both the bot's {@code stats} and the admin page show: each number
 * with the i18n key of its label.
 * <p>May import: nothing of the plugin; only the JDK.
 */
package org.xmpproxy.core.stats;
