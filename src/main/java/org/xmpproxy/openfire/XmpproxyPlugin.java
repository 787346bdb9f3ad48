package org.xmpproxy.openfire;

import java.io.File;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jivesoftware.database.DbConnectionManager;
import org.xmpproxy.core.catchup.CatchupCoordinator;
import org.jivesoftware.openfire.session.ClientSession;
import org.xmpp.packet.JID;
import org.jivesoftware.openfire.RoutingTable;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.container.Plugin;
import org.jivesoftware.openfire.container.PluginManager;
import org.jivesoftware.openfire.event.SessionEventDispatcher;
import org.jivesoftware.openfire.event.UserEventDispatcher;
import org.jivesoftware.openfire.interceptor.InterceptorManager;
import org.jivesoftware.openfire.user.PresenceEventDispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpproxy.core.copy.CopySeal;
import org.xmpproxy.core.flow.MirrorCounters;
import org.xmpproxy.core.flow.MirrorEngine;
import org.xmpproxy.core.rule.CopyForm;
import org.xmpproxy.core.settings.Settings;
import org.xmpproxy.core.stanza.BadInput;
import org.xmpproxy.core.stats.Counter;
import org.xmpproxy.core.stats.CounterReport;
import org.xmpproxy.store.Store;
import org.xmpproxy.admin.AdminConsole;
import org.xmpproxy.bot.RateLimiter;
import org.xmpproxy.bot.XmpproxyBot;
import org.xmpp.component.ComponentException;
import org.xmpp.component.ComponentManagerFactory;

/** The plugin's lifecycle: wire the engine into Openfire on load, undo all of it on unload. */
public class XmpproxyPlugin implements Plugin, java.util.function.BiFunction<String, String, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(XmpproxyPlugin.class);

    private Store store;
    private AccountEvents accountEvents;
    private SessionDirectory sessionDirectory;
    private OtherNodeSessions otherNodeSessions;
    private volatile ClusterCopies clusterCopies;
    /** How long before a stop what other nodes routed is not taken as received here (see destroyPlugin). */
    private static final long IN_FLIGHT_MILLIS = ClusterCopies.GRACE_MILLIS + 500;
    private SessionEnds sessionEnds;
    /** A clustered node that shuts down: its clients go to the nodes that stay. */
    private StoppingNode stoppingNode;
    private MirroringInterceptor interceptor;
    private OfflineStoreWatch offlineStoreWatch;
    private ArchiveQueryInterceptor archiveQueries;
    private volatile MirrorEngine engine;
    private MirrorCounters counters;
    private String botSubdomain;
    private BotRosterEntry botRosterEntry;
    private HistoryCopies historyCopies;
    private OpenfireCatchup catchupPort;
    private CatchupCoordinator catchup;
    /** What the plugin counts: one list, shown by the bot's stats and the admin page. */
    private volatile List<Counter> counterList = List.of();
    /** The other nodes of an Openfire cluster, if any (ids, who prunes, notices, counters). */
    private ClusterLink clusterLink;
    /** Where a node that left wrote what it routed, if it can (it may just be shutting down in order). */
    private volatile InPlaceRows inPlaceRows;
    /**
     * How long after another node left this node looks for the history rows it had not written: a node that shuts down
     * leaves the cluster first, then stops its plugins, which writes its queue (a second or two).
     */
    private static final Duration IN_PLACE_DELAY = Duration.ofSeconds(5);
    /** With the database down, looked for again this often, this many times in all (about two minutes). */
    private static final Duration IN_PLACE_RETRY = Duration.ofSeconds(20);
    private static final int IN_PLACE_ATTEMPTS = 6;
    /** How long a node that shuts down waits for its queue before its clients go to the nodes that stay. */
    private static final Duration STOPPING_WRITE_WAIT = Duration.ofSeconds(5);
    /** Openfire delivers its offline messages right after the available presence: catch-up comes after them. */
    private static final Duration CATCHUP_DELAY = Duration.ofSeconds(1);

    public XmpproxyPlugin() {
        // Openfire instantiates plugins reflectively.
    }

    @Override
    public void initializePlugin(PluginManager manager, File pluginDirectory) {
        XMPPServer server = XMPPServer.getInstance();
        String domain = server.getServerInfo().getXMPPDomain();
        XmpproxyProperties properties = new XmpproxyProperties();
        clusterLink = new ClusterLink();
        store = new Store(DbConnectionManager::getConnection, OpenfireUsers::isRegistered, properties,
                new Store.Options(properties.get(Settings.STORE_QUEUE_CAPACITY), properties::storeQueueMaxBytes,
                        properties::resourceMaxPerAccount, properties::resourceMaxIdle), Clock.systemUTC(), clusterLink);
        RoutingTable routingTable = server.getRoutingTable();
        sessionDirectory = new SessionDirectory(routingTable::getClientRoute);
        SessionEventDispatcher.addListener(sessionDirectory); // first, then the seed: no session slips between
        // This node's sessions only: the cluster-wide list holds stand-ins whose isClosed is a synchronous cluster call.
        sessionDirectory.seed(routingTable.getClientsRoutes(true));
        accountEvents = new AccountEvents(store.settings(), sessionDirectory::routeOrNewest);
        UserEventDispatcher.addListener(accountEvents);
        PresenceEventDispatcher.addListener(accountEvents);
        otherNodeSessions = new OtherNodeSessions(domain);
        otherNodeSessions.start();
        OpenfireResources resources = new OpenfireResources(routingTable, sessionDirectory, otherNodeSessions);
        counters = new MirrorCounters();
        engine = new MirrorEngine(domain, properties, store.settings(), resources, resources, counters, store.recorder());
        engine.keepsHistory(account -> store.effective().history(account));
        engine.sealCopiesWith(copySeal(properties));
        engine.checkCarbonsElsewhereWith(new CarbonCheck());
        clusterCopies = new ClusterCopies(engine, sessionDirectory);
        sessionEnds = new SessionEnds(engine, routingTable::getClientRoute, this::later);
        SessionEventDispatcher.addListener(sessionEnds);
        Store writing = store;
        stoppingNode = new StoppingNode(server::isShuttingDown, org.jivesoftware.openfire.cluster.ClusterManager.isClusteringStarted(),
                () -> routingTable.getClientsRoutes(true), () -> writing.flushHistory(STOPPING_WRITE_WAIT));
        SessionEventDispatcher.addListener(stoppingNode);
        server.addServerListener(stoppingNode);
        offlineStoreWatch = new OfflineStoreWatch(engine);
        org.jivesoftware.openfire.OfflineMessageStrategy.addListener(offlineStoreWatch);
        interceptor = new MirroringInterceptor(engine, stoppingNode);
        historyCopies = new HistoryCopies(properties, engine, domain);
        InterceptorManager.getInstance().addInterceptor(interceptor);
        startCatchup(properties, domain, engine, resources, routingTable);
        XmpproxyBot bot = startBot(properties, domain, engine, resources);
        counterList = counters(bot);
        clusterLink.receiveFor(store, () -> counterList);
        inPlaceRows = new InPlaceRows(store);
        clusterLink.onNodeLeft(this::nodeLeft);
        clusterLink.onJoined(stoppingNode::joinedCluster);
        clusterLink.onLeft(stoppingNode::leftCluster);
        AdminConsole.install(new OpenfireAdminBackend(properties, engine, store, this::counterReport, domain));
        LOG.info("xmpproxy started for {}: mirroring {}", domain, properties.enabled() ? "on" : "off");
    }

    /**
     * Another node left the cluster: Openfire's carbons it was to send clients here and did not are caught up; what it
     * routed that reached clients here and it had not written is written here, {@link #IN_PLACE_DELAY} later.
     */
    private void nodeLeft(String node) {
        MirrorEngine running = engine;
        OpenfireCatchup port = catchupPort;
        if (running == null || port == null) {
            return;
        }
        int lost = running.nodeLeft(node);
        if (lost > 0) {
            LOG.info("xmpproxy: a node left the cluster before sending {} carbons to clients here; they are caught up", lost);
        }
        writeInPlaceLater(node, running, port, IN_PLACE_DELAY.toMillis(), 1);
    }

    /** Runs {@code task} on the catch-up threads after {@code delayMillis}; not once the plugin stops. */
    private void later(Runnable task, long delayMillis) {
        OpenfireCatchup port = catchupPort;
        if (port == null) {
            return;
        }
        try {
            port.schedule(task, delayMillis);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            LOG.debug("xmpproxy: stopping; a task after {} ms is not run", delayMillis);
        }
    }

    private void writeInPlaceLater(String node, MirrorEngine running, OpenfireCatchup port, long delayMillis, int attempt) {
        later(() -> writeInPlaceOf(node, running, port, attempt), delayMillis);
    }

    private void writeInPlaceOf(String node, MirrorEngine running, OpenfireCatchup port, int attempt) {
        InPlaceRows rows = inPlaceRows;
        if (rows == null || running != engine) {
            return; // stopped or reloaded meanwhile
        }
        try {
            int written = running.writeInPlaceOf(node, rows);
            if (written > 0) {
                LOG.info("xmpproxy: a node left the cluster before writing {} history rows of messages that reached clients"
                        + " here; written here, and their accounts' clients catch up on them", written);
            }
        } catch (Exception e) {
            boolean again = attempt < IN_PLACE_ATTEMPTS && running.hasLeftBehind(node);
            LOG.warn("xmpproxy: could not look for what a node that left the cluster had not written ({}); {}", e.toString(),
                    again ? "trying again in " + IN_PLACE_RETRY.toSeconds() + " s"
                            : "clients that did not get those messages live do not catch up on them");
            if (again) {
                writeInPlaceLater(node, running, port, IN_PLACE_RETRY.toMillis(), attempt + 1);
            }
        }
    }

    /**
     * The seal of xmpproxy's copies, from the kept secret ({@link Settings#COPY_SECRET}), made and kept at the first
     * start. Kept, not per run: a copy a client left unacknowledged before a reload must still be known when Openfire
     * routes it again after it. If it cannot be kept, a secret of this run is used (and said).
     */
    private static CopySeal copySeal(XmpproxyProperties properties) {
        String kept = properties.get(Settings.COPY_SECRET);
        if (!kept.isBlank()) {
            try {
                return CopySeal.of(kept);
            } catch (IllegalArgumentException e) {
                LOG.warn("xmpproxy: the property {} is no usable secret; a new one replaces it", Settings.COPY_SECRET.key());
            }
        }
        String fresh = CopySeal.newSecret();
        try {
            properties.setFromText(Settings.COPY_SECRET.key(), fresh);
        } catch (RuntimeException e) {
            LOG.warn("xmpproxy: could not keep the copy secret ({}); copies are sealed for this run only", e.toString());
        }
        return CopySeal.of(fresh);
    }

    private void startCatchup(XmpproxyProperties properties, String domain, MirrorEngine engine, OpenfireResources resources,
                              RoutingTable routingTable) {
        StoppingNode stopping = stoppingNode;
        catchupPort = new OpenfireCatchup(properties, store, resources, historyCopies, sessionDirectory::routeOrNewest,
                stopping::stoppingSince);
        catchup = new CatchupCoordinator(catchupPort, System::currentTimeMillis, CATCHUP_DELAY.toMillis());
        engine.onLiveDelivery(catchup);
        engine.onStoredDelivery((account, key, recipient) ->
                store.deliveredLater().delivered(account.getNode(), key, recipient.getResource()));
        engine.onOfflineStoreHanded(catchup::offlineStoreHanded); // it may have lost what it stored meanwhile
        store.deliveredLater().onChanged((entry, resource) -> {
            if (resource != null) {
                catchup.deliveredLater(new JID(entry.username(), domain, resource, true), entry);
            }
        });
        archiveQueries = new ArchiveQueryInterceptor(catchup);
        InterceptorManager.getInstance().addInterceptor(archiveQueries);
        accountEvents.onAvailable(catchup::onAvailable);
        accountEvents.onUnavailable(catchup::onUnavailable);
        catchupPort.every(catchup::checkpoint, Duration.ofMinutes(1));
        // After a reload, resources that are already online get no available event: pick them up here, each by the
        // session that is its route (a replaced session may still be listed while Openfire tears it down). This node's
        // sessions only: catch-up runs on the session's node, which the others' sessions have as well.
        for (ClientSession session : routingTable.getClientsRoutes(true)) {
            JID address = session.getAddress();
            if (OpenfireResources.isAvailable(session) && !session.isAnonymousUser() && address != null && address.getNode() != null
                    && address.getResource() != null && domain.equals(address.getDomain())
                    && AccountEvents.isRoute(session, routingTable.getClientRoute(address))) {
                catchup.onAvailable(address, AccountEvents.idOf(session));
            }
        }
    }

    /** The list of everything counted, in the order the bot's stats and the admin page show it. */
    private List<Counter> counters(XmpproxyBot bot) {
        List<Counter> all = new ArrayList<>();
        MirrorCounters mirror = counters;
        all.add(new Counter("counter.legacyReceived", () -> mirror.copiesDelivered(CopyForm.LEGACY_RECEIVED)));
        all.add(new Counter("counter.legacySent", () -> mirror.copiesDelivered(CopyForm.LEGACY_SENT)));
        all.add(new Counter("counter.carbonReceived", () -> mirror.copiesDelivered(CopyForm.CARBON_RECEIVED)));
        all.add(new Counter("counter.carbonSent", () -> mirror.copiesDelivered(CopyForm.CARBON_SENT)));
        all.add(new Counter("counter.failures", mirror::failures));
        CatchupCoordinator coordinator = catchup;
        all.add(new Counter("counter.catchups", coordinator::catchups));
        all.add(new Counter("counter.catchupMessages", coordinator::messagesSent));
        all.add(new Counter("counter.catchupsTruncated", coordinator::truncated));
        all.add(new Counter("counter.catchupLeftOut", coordinator::leftOut));
        all.add(new Counter("counter.badAddresses", BadInput::addresses));
        all.add(new Counter("counter.forgedCopyMarks", BadInput::forgedCopyMarks));
        all.add(new Counter("counter.catchupMissedDropped", coordinator::missedDropped));
        all.add(new Counter("counter.catchupFromArchive", coordinator::fromArchive));
        all.addAll(store.counters());
        all.addAll(bot.counters());
        return List.copyOf(all);
    }

    /**
     * What a cluster task from another node asks of this running instance (see {@code ClusterLink}): a JDK interface,
     * so that a task class Hazelcast kept from an earlier class loader of this plugin still reaches it.
     */
    @Override
    public Object apply(String kind, String username) {
        if (CarbonCheck.KIND.equals(kind)) {
            CarbonCheck.Unpacked check = CarbonCheck.unpack(username);
            MirrorEngine running = engine;
            if (check == null) {
                LOG.warn("xmpproxy: a carbon check from another node could not be read; is the same version installed on every node?");
            } else if (running != null && running.carbonMaybeMissed(check.resource(), check.message())) {
                LOG.info("xmpproxy: a node left the cluster before sending {} a carbon; it is caught up", check.resource());
            }
            return null;
        }
        if (ClusterLink.COPY.equals(kind)) {
            ClusterCopies copies = clusterCopies;
            if (copies != null && username != null) {
                copies.received(username);
            } else {
                LOG.debug("xmpproxy: a copy from another node arrived while the plugin starts or stops; its client is caught up after the start");
            }
            return null;
        }
        ClusterLink link = clusterLink;
        return link == null ? null : link.fromAnotherNode(kind, username);
    }

    /** The counters of every node of the cluster that reports (this node's alone when not clustered). */
    private CounterReport counterReport() {
        return clusterLink.report(counterList);
    }

    private XmpproxyBot startBot(XmpproxyProperties properties, String domain, MirrorEngine engine, OpenfireResources resources) {
        String version = XmpproxyPlugin.class.getPackage().getImplementationVersion();
        OpenfireBotBackend backend = new OpenfireBotBackend(properties, engine, store, resources, historyCopies, catchupPort,
                catchup, this::counterReport);
        // One limit for everything sent to the bot (chat, ad-hoc commands, other servers): 10 at once, then 1 a second.
        XmpproxyBot bot = new XmpproxyBot(domain, version == null ? "unknown" : version, backend,
                new RateLimiter(properties.get(Settings.BOT_RATE_BURST), properties.get(Settings.BOT_RATE_PER_MINUTE) / 60.0, Clock.systemUTC()), Clock.systemUTC());
        String subdomain = properties.get(Settings.BOT_SUBDOMAIN);
        try {
            ComponentManagerFactory.getComponentManager().addComponent(subdomain, bot);
            botSubdomain = subdomain;
            catchupPort.tellWith(bot);
            botRosterEntry = new BotRosterEntry(properties, store.settings(), engine,
                    XMPPServer.getInstance().getRosterManager(), bot.getJID(), bot::announceTo, ClusterLink.rosterLocks());
            BotRosterEntry roster = botRosterEntry;
            accountEvents.onAvailable((resource, session) -> roster.accept(resource));
        } catch (ComponentException e) {
            LOG.error("xmpproxy: could not start the bot at {}.{}; mirroring works without it", subdomain, domain, e);
        }
        return bot;
    }

    /** May run after a half-finished initializePlugin: every step is null-safe, in reverse order. */
    @Override
    public void destroyPlugin() {
        // From here on nothing is watched: the resources online are saved as of now, not of when the rest has stopped.
        // In a cluster, a second earlier: what another node routed a moment ago may still be on its way here (its
        // copies, a tie left to this node for half a second), and finds no plugin to take it.
        long stopping = System.currentTimeMillis()
                - (org.jivesoftware.openfire.cluster.ClusterManager.isClusteringStarted() ? IN_FLIGHT_MILLIS : 0);
        AdminConsole.uninstall();
        if (clusterLink != null) {
            clusterLink.close(); // tasks from other nodes reach nothing of this instance any more
        }
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
        if (archiveQueries != null) {
            InterceptorManager.getInstance().removeInterceptor(archiveQueries);
            archiveQueries = null;
        }
        if (interceptor != null) {
            InterceptorManager.getInstance().removeInterceptor(interceptor);
            interceptor = null;
        }
        if (offlineStoreWatch != null) {
            org.jivesoftware.openfire.OfflineMessageStrategy.removeListener(offlineStoreWatch);
            offlineStoreWatch = null;
        }
        if (clusterCopies != null) {
            clusterCopies.stop();
            clusterCopies = null;
        }
        if (otherNodeSessions != null) {
            otherNodeSessions.stop();
            otherNodeSessions = null;
        }
        if (engine != null) {
            engine.close(); // Openfire's routing threads keep nothing of this plugin's classes
            engine = null;
        }
        if (stoppingNode != null) {
            XMPPServer.getInstance().removeServerListener(stoppingNode);
            SessionEventDispatcher.removeListener(stoppingNode);
            stoppingNode = null;
        }
        if (sessionEnds != null) {
            SessionEventDispatcher.removeListener(sessionEnds);
            sessionEnds = null;
        }
        if (sessionDirectory != null) {
            SessionEventDispatcher.removeListener(sessionDirectory);
            sessionDirectory = null;
        }
        if (accountEvents != null) {
            PresenceEventDispatcher.removeListener(accountEvents);
            UserEventDispatcher.removeListener(accountEvents);
            accountEvents = null;
        }
        if (catchupPort != null) {
            catchup.suspendAll(stopping);
            catchupPort.close();
            catchupPort = null;
        }
        inPlaceRows = null;
        if (store != null) {
            try {
                store.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            store = null;
        }
        if (counters != null) {
            LOG.info("xmpproxy stopped after delivering {} copies", counters.copiesDelivered());
        }
    }
}
