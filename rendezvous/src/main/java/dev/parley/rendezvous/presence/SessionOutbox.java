package dev.parley.rendezvous.presence;

import dev.parley.common.protocol.ServerMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What goes out on one session, in order. Frames and closes go out at once; presence notices wait
 * for the transport's next turn, so that those arriving together (a crowd logging in) leave as one
 * {@code presence} frame instead of a frame each. A frame sent after a notice never overtakes it: it
 * takes the waiting notices out first, so a reply still proves everything before it arrived.
 *
 * <p>Whoever finds the outbox idle sends what is queued, and no lock is held while sending: the
 * transport may call back into presence (a slow consumer's logout tells other sessions). Bounded:
 * at most {@link ServerMessage.Presence#MAX_EVENTS} notices wait for a turn (a full frame goes out
 * at once); everything else is on the channel, whose byte limit ends a session that stopped reading.
 */
final class SessionOutbox implements SessionChannel {
    private record Close(short code, String reason) {
    }

    private final SessionChannel channel;
    /** Guarded by {@code this}: frames (String), notices and closes, in the order they were given. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>(4);
    /** Guarded by {@code this}: notices in {@link #queue}. */
    private int notices;
    /** Guarded by {@code this}: a thread is sending from the queue. */
    private boolean sending;
    /** Guarded by {@code this}: a flush waits for the transport's turn. */
    private boolean flushDue;

    SessionOutbox(SessionChannel channel) {
        this.channel = channel;
    }

    @Override
    public void send(String text) {
        enqueue(text);
    }

    @Override
    public void close(short code, String reason) {
        enqueue(new Close(code, reason));
    }

    /** A control frame: its place among the others does not matter. */
    @Override
    public void ping() {
        channel.ping();
    }

    @Override
    public void runOnTransport(Runnable task) {
        channel.runOnTransport(task);
    }

    /** Queues a presence notice for the transport's next turn. */
    void notice(PresenceFrames.Notice notice) {
        boolean schedule = false;
        boolean drain = false;
        synchronized (this) {
            queue.add(notice);
            notices++;
            if (notices >= ServerMessage.Presence.MAX_EVENTS) {
                drain = claim(); // a full frame: nothing to wait for
            } else if (!flushDue && !sending) {
                flushDue = schedule = true;
            }
        }
        if (schedule) {
            channel.runOnTransport(this::flush);
        }
        if (drain) {
            drain();
        }
    }

    private void enqueue(Object item) {
        boolean drain;
        synchronized (this) {
            queue.add(item);
            drain = claim();
        }
        if (drain) {
            drain();
        }
    }

    private void flush() {
        boolean drain;
        synchronized (this) {
            flushDue = false;
            drain = !queue.isEmpty() && claim();
        }
        if (drain) {
            drain();
        }
    }

    /** Under the lock: whether the caller is now the one sending (nobody else was). */
    private boolean claim() {
        if (sending) {
            return false;
        }
        sending = true;
        return true;
    }

    private void drain() {
        try {
            while (true) {
                Object next;
                List<PresenceFrames.Notice> batch = null;
                synchronized (this) {
                    next = queue.poll();
                    if (next == null) {
                        sending = false;
                        return;
                    }
                    if (next instanceof PresenceFrames.Notice first) {
                        batch = new ArrayList<>(Math.min(notices, ServerMessage.Presence.MAX_EVENTS));
                        batch.add(first);
                        while (batch.size() < ServerMessage.Presence.MAX_EVENTS
                                && queue.peek() instanceof PresenceFrames.Notice more) {
                            batch.add(more);
                            queue.poll();
                        }
                        notices -= batch.size();
                    }
                }
                if (batch != null) {
                    channel.send(PresenceFrames.frame(batch));
                } else if (next instanceof Close c) {
                    channel.close(c.code(), c.reason());
                } else {
                    channel.send((String) next);
                }
            }
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                sending = false;
            }
            throw e;
        }
    }
}
