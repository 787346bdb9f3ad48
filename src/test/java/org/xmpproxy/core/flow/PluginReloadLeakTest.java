package org.xmpproxy.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Openfire's routing threads outlive a plugin: whatever one of them keeps of the plugin after it is
 * unloaded keeps the old plugin's whole class loader (every class, every static) in memory, once per
 * reload. The plugin's classes are loaded here the way Openfire's PluginClassLoader does (child
 * first, over target/classes), driven on one long-lived thread with the messages Openfire never
 * finishes routing, and unloaded; then no old class loader may stay reachable.
 */
class PluginReloadLeakTest {
    private static final int RELOADS = 20;
    private static final long GC_WAIT_MILLIS = 20_000;

    /** Loads this project's classes itself (child first), everything else from the parent, like a plugin. */
    private static final class PluginLoader extends URLClassLoader {
        PluginLoader(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("org.xmpproxy.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    loaded = findClass(name);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }

    @Test
    void reloadingTwentyTimesAfterUnfinishedRoutingsLeavesNoOldClassLoaderReachable() throws Exception {
        URL[] classpath = {
                MirrorEngine.class.getProtectionDomain().getCodeSource().getLocation(), // target/classes
                ReloadDriver.class.getProtectionDomain().getCodeSource().getLocation()}; // target/test-classes
        ExecutorService routingThread = Executors.newSingleThreadExecutor(); // one of Openfire's, alive across reloads
        List<WeakReference<ClassLoader>> unloaded = new ArrayList<>();
        try {
            for (int i = 0; i < RELOADS; i++) {
                unloaded.add(loadRouteAndUnload(classpath, routingThread));
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GC_WAIT_MILLIS);
            while (reachable(unloaded) > 0 && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(20); // let the collector clear the references, then look again
            }
            assertEquals(0, reachable(unloaded), "class loaders of unloaded plugins still reachable, of " + RELOADS);
        } finally {
            routingThread.shutdownNow();
        }
    }

    private static WeakReference<ClassLoader> loadRouteAndUnload(URL[] classpath, ExecutorService routingThread) throws Exception {
        try (PluginLoader plugin = new PluginLoader(classpath, PluginReloadLeakTest.class.getClassLoader())) {
            Runnable life = (Runnable) plugin.loadClass(ReloadDriver.class.getName()).getDeclaredConstructor().newInstance();
            assertNotSame(ReloadDriver.class, life.getClass(), "the plugin's own copy of the classes");
            routingThread.submit(life).get(30, TimeUnit.SECONDS);
            return new WeakReference<>(plugin);
        }
    }

    private static long reachable(List<WeakReference<ClassLoader>> loaders) {
        return loaders.stream().filter(ref -> ref.get() != null).count();
    }
}
