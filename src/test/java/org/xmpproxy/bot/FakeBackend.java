package org.xmpproxy.bot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.xmpp.packet.JID;
import org.xmpproxy.core.catchup.HistoryItem;
import org.xmpproxy.core.rule.AccountResource;
import org.xmpproxy.core.rule.Direction;
import org.xmpproxy.core.rule.ResourceMode;
import org.xmpproxy.core.stats.Counter;

/** A backend in memory that records which account every change touched. */
final class FakeBackend implements BotBackend {
    final Set<JID> users = new HashSet<>();
    final Set<JID> admins = new HashSet<>();
    final Map<JID, Boolean> mirroring = new HashMap<>();
    final Map<JID, Boolean> history = new HashMap<>();
    final Map<String, ResourceMode> modes = new HashMap<>();
    final Map<JID, List<AccountResource>> online = new HashMap<>();
    final Map<JID, Long> historySizes = new HashMap<>();
    final List<String> changes = new ArrayList<>();
    /** Replays asked for: account and count. */
    final List<String> replays = new ArrayList<>();
    /** Where each message sent from the history went. */
    final List<JID> sentFromHistory = new ArrayList<>();
    /** The account's own catch-up choice: count and hours, either null. */
    final Map<JID, Object[]> ownCatchup = new HashMap<>();
    /** The server's catch-up limits (also the most an account may choose). */
    BotBackend.CatchupLimits serverCatchup = new BotBackend.CatchupLimits(100, 24);
    final List<Counter> counters = new CopyOnWriteArrayList<>(List.of(new Counter("counter.legacyReceived", () -> 3)));
    final List<String> audited = new ArrayList<>();
    boolean databaseDown;
    /** The server keeps an archive its clients query (XEP-0313); these clients queried it. */
    boolean archive;
    final Set<JID> queriedArchive = new HashSet<>();
    /** While set, the bot's worker waits here (in its first backend call): a busy bot, for queue tests. */
    volatile java.util.concurrent.CountDownLatch hold;

    @Override
    public boolean isLocalUser(JID user) {
        java.util.concurrent.CountDownLatch latch = hold;
        if (latch != null) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return users.contains(user.asBareJID());
    }

    @Override
    public boolean isAdmin(JID user) {
        return admins.contains(user.asBareJID());
    }

    @Override
    public List<AccountResource> availableResources(JID account) {
        return online.getOrDefault(account, List.of());
    }

    @Override
    public List<String> knownResources(JID account) {
        return modes.keySet().stream().filter(k -> k.startsWith(account + "/")).map(k -> k.substring(account.toString().length() + 1)).toList();
    }

    @Override
    public boolean isMirroringOn(JID account) {
        return mirroring.getOrDefault(account, true);
    }

    @Override
    public void setMirroring(JID account, boolean on) {
        changes.add(account + " mirroring " + on);
        mirroring.put(account, on);
    }

    @Override
    public void setMode(JID account, String resource, ResourceMode mode) {
        changes.add(account + " mode " + resource + " " + mode.label());
        modes.put(account + "/" + resource, mode);
    }

    @Override
    public boolean isHistoryOn(JID account) {
        return history.getOrDefault(account, true);
    }

    @Override
    public void setHistory(JID account, boolean on) {
        changes.add(account + " history " + on);
        history.put(account, on);
    }

    @Override
    public long historySize(JID account) {
        return databaseDown ? -1 : historySizes.getOrDefault(account, 0L);
    }

    @Override
    public boolean clearHistory(JID account) {
        if (databaseDown) {
            return false;
        }
        changes.add(account + " history cleared");
        historySizes.remove(account);
        return true;
    }

    @Override
    public CatchupLimits catchupLimits(JID account) {
        Object[] own = ownCatchup.getOrDefault(account, new Object[2]);
        return new CatchupLimits(own[0] != null ? (Integer) own[0] : serverCatchup.count(),
                own[1] != null ? (Long) own[1] : serverCatchup.ageHours());
    }

    @Override
    public boolean hasArchive(JID account) {
        return archive;
    }

    @Override
    public boolean queriedArchive(JID resource) {
        return queriedArchive.contains(resource);
    }

    @Override
    public int archiveWaitSeconds() {
        return 5;
    }

    @Override
    public boolean hasOwnCatchupLimits(JID account) {
        return ownCatchup.containsKey(account);
    }

    @Override
    public CatchupLimits catchupMaximum() {
        return serverCatchup;
    }

    @Override
    public void setCatchup(JID account, Integer count, Long ageHours) {
        changes.add(account + " catchup " + count + " " + ageHours);
        if (count == null && ageHours == null) {
            ownCatchup.remove(account);
        } else {
            ownCatchup.put(account, new Object[] {count, ageHours});
        }
    }

    /** One history entry of the fake: its number is all it has. */
    private record Entry(long sentAt) implements HistoryItem {
        @Override
        public Direction direction() {
            return Direction.RECEIVED;
        }

        @Override
        public String peer() {
            return "jane@example.org";
        }

        @Override
        public String messageId() {
            return "m" + sentAt;
        }
    }

    @Override
    public Optional<List<? extends HistoryItem>> latestHistory(JID account, int count) {
        if (databaseDown) {
            return Optional.empty();
        }
        replays.add(account + " " + count);
        long size = historySizes.getOrDefault(account, 0L);
        return Optional.of(LongStream.rangeClosed(Math.max(1, size - count + 1), size).mapToObj(Entry::new).toList());
    }

    @Override
    public boolean sendFromHistory(JID resource, HistoryItem item) {
        sentFromHistory.add(resource);
        return true;
    }

    @Override
    public int replayDefault() {
        return 20;
    }

    @Override
    public int replayMaximum() {
        return 200;
    }

    @Override
    public List<String> accountsWithChoices() {
        return mirroring.keySet().stream().map(JID::getNode).sorted().toList();
    }

    /** The other nodes' counters by node name, as if clustered (empty: a server alone); the cluster's size. */
    final java.util.Map<String, java.util.Map<String, Long>> otherNodes = new java.util.concurrent.ConcurrentHashMap<>();
    volatile int nodesAsked = 1;

    @Override
    public org.xmpproxy.core.stats.CounterReport counters() {
        return nodesAsked == 1 ? org.xmpproxy.core.stats.CounterReport.alone(counters)
                : org.xmpproxy.core.stats.CounterReport.of("here", counters, otherNodes, nodesAsked);
    }

    @Override
    public void audit(JID admin, String summary, String details) {
        audited.add(admin + ": " + summary);
    }
}
