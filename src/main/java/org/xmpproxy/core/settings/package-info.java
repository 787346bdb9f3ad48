/**
 * Every setting, defined once ({@code Settings}: server-wide {@code Setting}s and per-account
 * {@code AccountSetting}s, with their bounds in {@code Bounds}); what the engine reads: the server's
 * values ({@code ServerSettings}, {@code MirrorConfig}) and each account's own choices
 * ({@code AccountSettings}); the one resolver of an account's effective value ({@code EffectiveSettings}); and the
 * server's values kept between changes ({@code KeptServerSettings}). Pure: interfaces and data, with in-memory forms
 * for tests.
 * <p>May import: {@code org.xmpp.*}, {@code org.xmpproxy.core.rule}.
 */
package org.xmpproxy.core.settings;
