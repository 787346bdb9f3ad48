package org.xmpproxy.openfire;

import java.io.File;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.container.Plugin;
import org.jivesoftware.openfire.container.PluginManager;
import org.jivesoftware.openfire.interceptor.InterceptorManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpproxy.core.flow.MirrorCounters;
import org.xmpproxy.core.flow.MirrorEngine;
import org.xmpproxy.core.settings.InMemoryAccountSettings;

/** The plugin's lifecycle: wire the engine into Openfire on load, undo all of it on unload. */
public class XmpproxyPlugin implements Plugin {
    private static final Logger LOG = LoggerFactory.getLogger(XmpproxyPlugin.class);

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
        OpenfireResources resources = new OpenfireResources(server.getRoutingTable());
        counters = new MirrorCounters();
        MirrorEngine engine = new MirrorEngine(domain, properties, new InMemoryAccountSettings(),
                resources, resources, counters, org.xmpproxy.core.flow.HistorySink.NONE);
        interceptor = new MirroringInterceptor(engine);
        InterceptorManager.getInstance().addInterceptor(interceptor);
        LOG.info("xmpproxy started for {}: mirroring {}", domain, properties.enabled() ? "on" : "off");
    }

    /** May run after a half-finished initializePlugin: every step is null-safe. */
    @Override
    public void destroyPlugin() {
        if (interceptor != null) {
            InterceptorManager.getInstance().removeInterceptor(interceptor);
            interceptor = null;
        }
        if (counters != null) {
            LOG.info("xmpproxy stopped after delivering {} copies", counters.copiesDelivered());
        }
    }
}
