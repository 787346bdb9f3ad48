/**
 * The admin console page: a plain servlet registered through {@code web/WEB-INF/web-custom.xml}, its
 * HTML in Openfire's look and the checks of every setting. What it reads and changes is behind
 * {@code AdminBackend}.
 * <p>May import: {@code javax.servlet}, slf4j, the settings' catalogue, bounds and resolver
 * ({@code core.settings}, with Tinder's {@code JID} to name an account to it), the counters' type
 * ({@code core.stats}) and the store's {@code ColumnLimits}; never Openfire.
 */
package org.xmpproxy.admin;
