package org.xmpproxy.bot;

import org.xmpproxy.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmpproxy.bot.RateLimiter.Verdict;

class RateLimiterTest {
    private final MutableClock clock = new MutableClock();
    private final RateLimiter limiter = new RateLimiter(10, 1.0, clock);

    @Test
    void aBurstThenOneRefusalToTellThenSilenceUntilTheBucketRefills() {
        List<Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            verdicts.add(limiter.check("john@example.org"));
        }
        assertEquals(10, verdicts.stream().filter(Verdict.ALLOW::equals).count());
        assertEquals(List.of(Verdict.REFUSE_AND_TELL, Verdict.REFUSE_SILENTLY, Verdict.REFUSE_SILENTLY), verdicts.subList(10, 13));
        assertEquals(Verdict.ALLOW, limiter.check("jane@example.org"), "each key has its own bucket");

        clock.advance(Duration.ofSeconds(1));
        assertEquals(Verdict.ALLOW, limiter.check("john@example.org"), "one a second");
        assertEquals(Verdict.REFUSE_AND_TELL, limiter.check("john@example.org"), "told again after being served");
    }

    /** Hostile: endless new senders. Buckets that refilled are forgotten; the map holds only recent senders. */
    @Test
    void endlessNewSendersDoNotGrowTheMap() {
        int most = 0;
        for (int i = 0; i < 200_000; i++) {
            clock.advance(Duration.ofMillis(1)); // a thousand new senders a second, each refilled after a second
            assertEquals(Verdict.ALLOW, limiter.check("sender" + i + "@example.org"));
            most = Math.max(most, limiter.size());
        }
        assertTrue(most <= RateLimiter.TIDY_ABOVE + 1, "at most " + most + " remembered");
    }
}
