package org.xmpproxy.bot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.AccountResource;
import org.xmpproxy.core.rule.ResourceMode;

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
    final List<String> replays = new ArrayList<>();
    boolean databaseDown;
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
    public boolean hasMirroringChoice(JID account) {
        return mirroring.containsKey(account);
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
    public int catchupCount(JID account) {
        return 100;
    }

    @Override
    public long catchupAgeHours(JID account) {
        return 24;
    }

    @Override
    public int replay(JID resource, int count) {
        if (databaseDown) {
            return -1;
        }
        replays.add(resource + " " + count);
        return (int) Math.min(count, historySizes.getOrDefault(resource.asBareJID(), 0L));
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
    public List<String> accountsWithChoices(int offset, int limit) {
        return mirroring.keySet().stream().map(JID::getNode).sorted().skip(offset).limit(limit).toList();
    }

    @Override
    public int accountsWithChoicesCount() {
        return mirroring.size();
    }

    @Override
    public List<String> stats() {
        return List.of("  copies legacy received: 3");
    }
}
