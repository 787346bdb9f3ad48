package org.xmpproxy.core.flow;

import static org.xmpproxy.core.Stanza.chat;

import org.xmpp.packet.JID;
import org.xmpproxy.core.settings.InMemoryAccountSettings;

/**
 * One life of the plugin, for {@link PluginReloadLeakTest}: it starts, routes the messages that leave
 * a routing unfinished in Openfire, and stops. Loaded by a fresh class loader each time, like a plugin.
 */
public final class ReloadDriver implements Runnable {
    public ReloadDriver() {
        // instantiated reflectively through the plugin's class loader
    }

    @Override
    public void run() {
        SimulatedOpenfire server = new SimulatedOpenfire();
        server.engine = new MirrorEngine(SimulatedOpenfire.DOMAIN, FixedMirrorConfig.defaults(), new InMemoryAccountSettings(),
                server, server, new MirrorCounters(), HistorySink.NONE);
        server.admins.add(new JID("admin@example.org"));
        var home = server.connect("john@example.org/home", false);
        server.connect("john@example.org/work", false);
        server.connect("admin@example.org/console", false);
        var jane = server.connect("jane@example.org/laptop", false);
        server.route(chat("ordinary", "jane@example.org/laptop", "john@example.org", "hello"), jane);
        // To the server's own address: Openfire forwards it to the admins and skips the after-routing call.
        server.route(chat("to-server", "john@example.org/home", "example.org", "hello server"), home);
        // Rejected by another interceptor after ours saw it.
        server.rejectedByAnotherInterceptor = message -> "rejected".equals(message.getID());
        server.route(chat("rejected", "jane@example.org/laptop", "john@example.org", "spam"), jane);
        // The plugin is unloaded. (Written so that it also compiles against an engine without close().)
        if (((Object) server.engine) instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
