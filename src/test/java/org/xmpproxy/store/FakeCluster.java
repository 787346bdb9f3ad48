package org.xmpproxy.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * An Openfire cluster in memory, without Openfire: each member is one node's {@link Cluster}. Ids come from one
 * sequence (SequenceManager's), a notice reaches every other member's store asynchronously (a cluster task on
 * Openfire's executor), and one member is senior.
 */
final class FakeCluster {
    private final AtomicLong blocks = new AtomicLong();
    private final List<Member> members = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fake-cluster-executor");
        t.setDaemon(true);
        return t;
    });

    /** One node; the first one added is the senior. */
    Member join() {
        Member member = new Member();
        members.add(member);
        return member;
    }

    /** The member leaves (it failed, or was stopped): the others no longer reach it. */
    void leave(Member member) {
        members.remove(member);
    }

    void close() {
        executor.shutdownNow();
    }

    final class Member implements Cluster {
        volatile Store store;
        /** Notices this node sent, as "kind username". */
        final List<String> sent = new CopyOnWriteArrayList<>();
        /** How often this node asked the others to flush. */
        final AtomicLong flushes = new AtomicLong();

        @Override
        public long next() {
            return blocks.incrementAndGet();
        }

        @Override
        public boolean runsSharedJobs() {
            return members.get(0) == this;
        }

        @Override
        public void accountChanged(String username) {
            tellOthers("changed " + username, other -> other.changedElsewhere(username));
        }

        @Override
        public void userDeleted(String username) {
            tellOthers("deleted " + username, other -> other.deletedElsewhere(username));
        }

        @Override
        public void userCreated(String username) {
            tellOthers("created " + username, other -> other.createdElsewhere(username));
        }

        @Override
        public void trimDue(String username) {
            sent.add("trim " + username);
            Store senior = members.get(0).store;
            if (senior != null) {
                executor.execute(() -> senior.trimDue(username));
            }
        }

        /** Synchronous, as Openfire's synchronous cluster task: each other node flushes its writer and answers. */
        @Override
        public boolean othersFlushed() {
            flushes.incrementAndGet();
            boolean all = true;
            for (Member member : members) {
                Store other = member.store;
                if (member != this && other != null) {
                    all &= other.flushHistory(java.time.Duration.ofSeconds(2));
                }
            }
            return all;
        }

        @Override
        public boolean hasOthers() {
            return members.size() > 1;
        }

        /** Set up to cluster (Openfire's clustering enabled), whoever is a member now. */
        @Override
        public boolean othersMayHaveWritten() {
            return true;
        }

        private void tellOthers(String notice, Consumer<Store> task) {
            sent.add(notice);
            for (Member member : members) {
                Store other = member.store;
                if (member != this && other != null) {
                    executor.execute(() -> task.accept(other));
                }
            }
        }
    }
}
