/**
 * The plugin's own thread pools, made and stopped one way: daemon threads with a name, and at unload no task waiting
 * is run and none running is interrupted (it may be inside JDBC on Openfire's embedded database, which an interrupt
 * leaves unusable).
 * <p>May import: nothing of the plugin; the JDK and slf4j.
 */
package org.xmpproxy.core.threads;
