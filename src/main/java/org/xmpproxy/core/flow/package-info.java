/**
 * Follows each message through the server's routing ({@code MirrorEngine}): who got the original,
 * who got one of the server's carbons, and, once routing is done, which copies to deliver; in a cluster also what
 * the server delivered on the other nodes ({@code OtherNodeDeliveries}), and, on the session's node, which originals
 * another node's routing brought ({@code OriginalsFromOtherNodes}). The ports it
 * needs from the server ({@code ResourceDirectory}, {@code CopySink}, {@code HistorySink},
 * {@code LiveDeliveries}) are interfaces here, implemented in {@code org.xmpproxy.openfire}.
 * <p>Runs on the routing thread: nothing here blocks. May import the other {@code core} packages, Tinder, slf4j.
 */
package org.xmpproxy.core.flow;
