package org.xmpproxy.core.flow;

/**
 * How Openfire picks the sessions a message to a bare JID reaches besides its carbons-enabled ones
 * ({@code RoutingTableImpl.routeToBareJID}, Openfire's properties {@code route.really-all-resources} and
 * {@code route.all-resources}).
 */
public enum BareJidRouting {
    /** The default: one session of the highest priority, then the best show, then the most recently active. */
    ONE_OF_THE_HIGHEST,
    /** {@code route.all-resources}: every session of the highest priority. */
    ALL_OF_THE_HIGHEST,
    /** {@code route.really-all-resources}: every session of non-negative priority. */
    ALL_NON_NEGATIVE
}
