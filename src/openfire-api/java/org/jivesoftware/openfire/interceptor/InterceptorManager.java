package org.jivesoftware.openfire.interceptor;

import java.util.List;

/** Compile-only mirror of Openfire 5.1.1 {@code InterceptorManager} (a class, singleton). */
public class InterceptorManager {
    private InterceptorManager() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public static InterceptorManager getInstance() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public List<PacketInterceptor> getInterceptors() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public void addInterceptor(PacketInterceptor interceptor) {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public boolean removeInterceptor(PacketInterceptor interceptor) {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
