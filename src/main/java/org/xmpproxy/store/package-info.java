/**
 * Plain JDBC on any {@code DataSource}-like {@code ConnectionSource}: account settings, resource state,
 * the history, the bounded write queue ({@code StoreWriter}, the only thread that writes) and pruning.
 * <p>May import: {@code java.sql}, Tinder, slf4j and {@code org.xmpproxy.core.*}; never Openfire.
 */
package org.xmpproxy.store;
