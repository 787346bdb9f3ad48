package org.xmpproxy.bot;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key token bucket: a burst of requests, then a steady rate. Keeps the bot cheap to talk to.
 * Cheap enough for the packet path: one map update, no lock held across keys, no I/O.
 *
 * <p>A key that is refused is told so once ({@link Verdict#REFUSE_AND_TELL}), then refused silently
 * until it is allowed again, so a flood gets one reply, not one per stanza. A bucket that has filled
 * up again is exactly like no bucket, so it is forgotten: the map holds only keys active in the last
 * {@code burst / perSecond} seconds.
 */
public final class RateLimiter {
    /** What to do with one request. */
    public enum Verdict { ALLOW, REFUSE_AND_TELL, REFUSE_SILENTLY }

    /** Forgetting full buckets starts above this many keys, at most once a second. */
    static final int TIDY_ABOVE = 10_000;

    private record Bucket(double tokens, long atMillis, boolean told) {
    }

    private final int burst;
    private final double perSecond;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile long tidiedAt;

    public RateLimiter(int burst, double perSecond, Clock clock) {
        if (burst < 1 || !(perSecond > 0)) {
            throw new IllegalArgumentException("burst >= 1 and a positive rate, not " + burst + " and " + perSecond);
        }
        this.burst = burst;
        this.perSecond = perSecond;
        this.clock = clock;
    }

    /** Takes one token for {@code key}. */
    public Verdict check(String key) {
        long now = clock.millis();
        Verdict[] verdict = new Verdict[1];
        buckets.compute(key, (k, bucket) -> {
            double tokens = bucket == null ? burst : refilled(bucket, now);
            if (tokens >= 1) {
                verdict[0] = Verdict.ALLOW;
                return new Bucket(tokens - 1, now, false);
            }
            verdict[0] = bucket.told() ? Verdict.REFUSE_SILENTLY : Verdict.REFUSE_AND_TELL;
            return new Bucket(tokens, now, true);
        });
        if (buckets.size() > TIDY_ABOVE && now - tidiedAt >= 1000) {
            tidiedAt = now;
            buckets.entrySet().removeIf(e -> refilled(e.getValue(), now) >= burst);
        }
        return verdict[0];
    }

    /** How many keys are remembered (for tests: the map stays bounded by recent activity). */
    int size() {
        return buckets.size();
    }

    private double refilled(Bucket bucket, long now) {
        return Math.min(burst, bucket.tokens() + Math.max(0, now - bucket.atMillis()) * perSecond / 1000.0);
    }
}
