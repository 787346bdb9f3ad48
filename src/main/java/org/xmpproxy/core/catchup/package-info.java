/**
 * Catch-up for a client that comes back: which missed messages it gets ({@code CatchupSelector}) and
 * when, exactly once across reconnects and interrupted catch-ups ({@code CatchupCoordinator}). The store
 * and delivery it needs are behind {@code CatchupPort}.
 * <p>Pure: may import {@code org.xmpp.*}, slf4j and the other {@code core} packages.
 */
package org.xmpproxy.core.catchup;
