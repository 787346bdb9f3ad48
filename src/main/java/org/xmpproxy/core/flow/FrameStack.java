package org.xmpproxy.core.flow;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The messages one thread is routing, innermost last. Routing can nest (something routes a message
 * while another is being routed), and a frame can be left behind when another interceptor rejects a
 * message before it is routed; the depth bound keeps such leftovers from piling up.
 */
final class FrameStack {
    static final int MAX_DEPTH = 8;

    private final ArrayDeque<RoutingFrame> frames = new ArrayDeque<>(MAX_DEPTH);

    void push(RoutingFrame frame) {
        if (frames.size() == MAX_DEPTH) {
            frames.removeFirst();
        }
        frames.addLast(frame);
    }

    RoutingFrame top() {
        return frames.peekLast();
    }

    /** Removes and returns the frame of {@code message} (by identity), dropping leftovers above it; null if absent. */
    RoutingFrame pop(Object message) {
        for (Iterator<RoutingFrame> it = frames.descendingIterator(); it.hasNext(); ) {
            if (it.next().message == message) {
                while (frames.peekLast().message != message) {
                    frames.removeLast();
                }
                return frames.removeLast();
            }
        }
        return null;
    }

    boolean isEmpty() {
        return frames.isEmpty();
    }
}
