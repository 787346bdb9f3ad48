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
import org.xmpproxy.bot.RateLimiter;
import org.xmpproxy.bot.XmpproxyBot;
import org.jivesoftware.database.DbConnectionManager;
import org.xmpp.component.ComponentException;
import org.xmpp.component.ComponentManagerFactory;

/** The plugin's lifecycle: wire the engine into Openfire on load, undo all of it on unload. */
public class XmpproxyPlugin implements Plugin {
    private static final Logger LOG = LoggerFactory.getLogger(XmpproxyPlugin.class);

    private Persistence persistence;
    private AccountEvents accountEvents;
    private MirroringInterceptor interceptor;
    private MirrorCounters counters;
    private String botSubdomain;
    private BotRosterEntry botRosterEntry;

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
        startBot(properties, domain, engine, resources);
        LOG.info("xmpproxy started for {}: mirroring {}", domain, properties.enabled() ? "on" : "off");
    }

    private void startBot(XmpproxyProperties properties, String domain, MirrorEngine engine, OpenfireResources resources) {
        String version = XmpproxyPlugin.class.getPackage().getImplementationVersion();
        OpenfireBotBackend backend = new OpenfireBotBackend(properties, engine, persistence, DbConnectionManager::getConnection,
                resources, counters, domain);
        XmpproxyBot bot = new XmpproxyBot(domain, version == null ? "unknown" : version, backend,
                new RateLimiter(10, 1.0, Clock.systemUTC()));
        String subdomain = properties.botSubdomain.getValue();
        try {
            ComponentManagerFactory.getComponentManager().addComponent(subdomain, bot);
            botSubdomain = subdomain;
            botRosterEntry = new BotRosterEntry(properties, persistence.settings, engine,
                    XMPPServer.getInstance().getRosterManager(), bot.getJID(), bot::announceTo);
            accountEvents.onAvailable(botRosterEntry);
        } catch (ComponentException e) {
            LOG.error("xmpproxy: could not start the bot at {}.{}; mirroring works without it", subdomain, domain, e);
        }
    }

    /** May run after a half-finished initializePlugin: every step is null-safe, in reverse order. */
    @Override
    public void destroyPlugin() {
        if (botRosterEntry != null) {
            botRosterEntry.close();
            botRosterEntry = null;
        }
        if (botSubdomain != null) {
            try {
                // Otherwise a reload would add a second bot for the subdomain, served round-robin.
                ComponentManagerFactory.getComponentManager().removeComponent(botSubdomain);
            } catch (ComponentException e) {
                LOG.warn("xmpproxy: could not remove the bot", e);
            }
            botSubdomain = null;
        }
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
