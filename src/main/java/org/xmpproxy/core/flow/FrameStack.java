package org.xmpproxy.core.flow;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * The messages one thread is routing, innermost last. Routing can nest (something routes a message
 * while another is being routed), and a frame can be left behind when the server never finishes a
 * message (another interceptor rejects it before it is routed). Such leftovers are dropped: beyond
 * the depth bound, and once they are older than any routing takes ({@link #STALE_AFTER_MILLIS}).
 */
final class FrameStack {
    static final int MAX_DEPTH = 8;
    /**
     * Routing is synchronous and takes milliseconds; a frame this old belongs to a message the server
     * dropped. Generous, so that a slow nested routing (a busy database in another plugin's
     * interceptor) is not mistaken for one: the worst a stale frame does meanwhile is sit there.
     */
    static final long STALE_AFTER_MILLIS = 30_000;

    private final ArrayDeque<RoutingFrame> frames = new ArrayDeque<>(MAX_DEPTH);
    /** Told of every frame dropped as a leftover (the engine's list of open routings lets go of it). */
    private final Consumer<RoutingFrame> dropped;

    FrameStack() {
        this(frame -> { });
    }

    FrameStack(Consumer<RoutingFrame> dropped) {
        this.dropped = dropped;
    }

    void push(RoutingFrame frame) {
        while (!frames.isEmpty() && frame.routedAt - frames.peekFirst().routedAt > STALE_AFTER_MILLIS) {
            dropped.accept(frames.removeFirst());
        }
        if (frames.size() == MAX_DEPTH) {
            dropped.accept(frames.removeFirst());
        }
        frames.addLast(frame);
    }

    /** The innermost frame still taking deliveries (not one completed as broken off by another thread). */
    RoutingFrame top() {
        RoutingFrame top = frames.peekLast();
        if (top == null || !top.completedElsewhere) {
            return top;
        }
        for (Iterator<RoutingFrame> it = frames.descendingIterator(); it.hasNext(); ) {
            RoutingFrame frame = it.next();
            if (!frame.completedElsewhere) {
                return frame;
            }
        }
        return null;
    }

    /** Removes and returns the frame of {@code message} (by identity), dropping leftovers above it; null if absent. */
    RoutingFrame pop(Object message) {
        for (Iterator<RoutingFrame> it = frames.descendingIterator(); it.hasNext(); ) {
            if (it.next().message == message) {
                while (frames.peekLast().message != message) {
                    dropped.accept(frames.removeLast());
                }
                return frames.removeLast();
            }
        }
        return null;
    }

    boolean isEmpty() {
        return frames.isEmpty();
    }

    int size() {
        return frames.size();
    }
}
