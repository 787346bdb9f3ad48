/**
 * What the engine reads on every message: server-wide settings ({@code MirrorConfig}) and each
 * account's own choices ({@code AccountSettings}), as interfaces with in-memory forms for tests.
 * <p>May import: {@code org.xmpp.*}, {@code org.xmpproxy.core.rule}.
 */
package org.xmpproxy.core.settings;
