package org.xmpproxy.bot;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Per-user token bucket: a burst of commands, then a steady rate. Keeps the bot cheap to talk to. */
public final class RateLimiter {
    private record Bucket(double tokens, long atMillis) {
    }

    private final int burst;
    private final double perSecond;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(int burst, double perSecond, Clock clock) {
        this.burst = burst;
        this.perSecond = perSecond;
        this.clock = clock;
    }

    /** Takes one token for {@code user}; false when the user has none left. */
    public boolean allow(String user) {
        long now = clock.millis();
        boolean[] allowed = new boolean[1];
        buckets.compute(user, (key, bucket) -> {
            double tokens = bucket == null ? burst : Math.min(burst, bucket.tokens() + (now - bucket.atMillis()) * perSecond / 1000.0);
            allowed[0] = tokens >= 1;
            return new Bucket(allowed[0] ? tokens - 1 : tokens, now);
        });
        if (buckets.size() > 10_000) {
            buckets.entrySet().removeIf(e -> now - e.getValue().atMillis() > 600_000); // forget idle users
        }
        return allowed[0];
    }
}
