package dev.parley.node;

import dev.parley.node.output.Event;
import dev.parley.node.output.Printer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event, for assertions. */
public final class RecordingPrinter implements Printer {
    private final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public void print(Event event) {
        events.add(event);
    }

    public List<Event> events() {
        return events;
    }

    public Event last() {
        return events.get(events.size() - 1);
    }

    public void clear() {
        events.clear();
    }
}
