package org.xmpproxy.admin;

/**
 * Hands the running plugin's backend to the admin servlet. Openfire creates the servlet (from
 * web-custom.xml) before it starts the plugin, so the servlet finds its backend here when a request
 * comes, not at construction. Both live in the plugin's class loader, so a reload starts afresh.
 */
public final class AdminConsole {
    private static volatile AdminBackend backend;

    private AdminConsole() {
    }

    public static void install(AdminBackend running) {
        backend = running;
    }

    public static void uninstall() {
        backend = null;
    }

    static AdminBackend backend() {
        return backend;
    }
}
