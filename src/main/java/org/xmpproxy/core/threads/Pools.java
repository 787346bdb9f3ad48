package org.xmpproxy.core.threads;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Making and stopping the plugin's thread pools. */
public final class Pools {
    private static final Logger LOG = LoggerFactory.getLogger(Pools.class);

    private Pools() {
    }

    /** Daemon threads named {@code name}: none keeps the server from stopping. */
    public static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One thread, an unbounded queue: what {@link #stop} drops from is a queue it can reach. */
    public static ThreadPoolExecutor single(String name) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), named(name));
    }

    /** A scheduled pool whose delayed and periodic tasks do not run once it is shut down. */
    public static ScheduledThreadPoolExecutor scheduled(int threads, String name) {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(threads, named(name));
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        pool.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        pool.setRemoveOnCancelPolicy(true);
        return pool;
    }

    /**
     * Stops the pool: no new task, none that is waiting (dropped; for a scheduled pool, one made by {@link #scheduled}), and waits at most
     * {@code wait} for the running ones. A task still running then is left to finish on its daemon thread, not
     * interrupted: it may be inside JDBC on the embedded database, which an interrupt closes for the whole server.
     *
     * @return whether every task had finished
     */
    public static boolean stop(ExecutorService pool, Duration wait, String what) {
        pool.shutdown();
        if (pool instanceof ThreadPoolExecutor queued && !(pool instanceof ScheduledThreadPoolExecutor)) {
            queued.getQueue().clear(); // not started: dropped (shutdownNow would interrupt the running ones)
        }
        return awaitQuietly(pool, wait, what);
    }

    private static boolean awaitQuietly(ExecutorService pool, Duration wait, String what) {
        try {
            if (pool.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.warn("xmpproxy: the {} thread did not finish within {} s; it is left to finish on its own, not interrupted",
                what, wait.toSeconds());
        return false;
    }
}
