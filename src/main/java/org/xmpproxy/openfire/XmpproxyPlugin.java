package org.xmpproxy.openfire;

import java.io.File;
import java.time.Clock;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.container.Plugin;
import org.jivesoftware.openfire.container.PluginManager;
import org.jivesoftware.openfire.event.UserEventDispatcher;
import org.jivesoftware.openfire.interceptor.InterceptorManager;
import org.jivesoftware.openfire.user.PresenceEventDispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpproxy.core.flow.MirrorCounters;
import org.xmpproxy.core.flow.MirrorEngine;

/** The plugin's lifecycle: wire the engine into Openfire on load, undo all of it on unload. */
public class XmpproxyPlugin implements Plugin {
    private static final Logger LOG = LoggerFactory.getLogger(XmpproxyPlugin.class);

    private Persistence persistence;
    private AccountEvents accountEvents;
    private MirroringInterceptor interceptor;
    private MirrorCounters counters;

    public XmpproxyPlugin() {
        // Openfire instantiates plugins reflectively.
    }

    @Override
    public void initializePlugin(PluginManager manager, File pluginDirectory) {
        XMPPServer server = XMPPServer.getInstance();
        String domain = server.getServerInfo().getXMPPDomain();
        XmpproxyProperties properties = new XmpproxyProperties();
        persistence = new Persistence(properties);
        accountEvents = new AccountEvents(persistence.settings, Clock.systemUTC());
        UserEventDispatcher.addListener(accountEvents);
        PresenceEventDispatcher.addListener(accountEvents);
        OpenfireResources resources = new OpenfireResources(server.getRoutingTable());
        counters = new MirrorCounters();
        MirrorEngine engine = new MirrorEngine(domain, properties, persistence.settings, resources, resources, counters,
                persistence.history);
        interceptor = new MirroringInterceptor(engine);
        InterceptorManager.getInstance().addInterceptor(interceptor);
        LOG.info("xmpproxy started for {}: mirroring {}", domain, properties.enabled() ? "on" : "off");
    }

    /** May run after a half-finished initializePlugin: every step is null-safe, in reverse order. */
    @Override
    public void destroyPlugin() {
        if (interceptor != null) {
            InterceptorManager.getInstance().removeInterceptor(interceptor);
            interceptor = null;
        }
        if (accountEvents != null) {
            PresenceEventDispatcher.removeListener(accountEvents);
            UserEventDispatcher.removeListener(accountEvents);
            accountEvents = null;
        }
        if (persistence != null) {
            try {
                persistence.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            persistence = null;
        }
        if (counters != null) {
            LOG.info("xmpproxy stopped after delivering {} copies", counters.copiesDelivered());
        }
    }
}
