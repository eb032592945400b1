package dev.stowage.testing;

import dev.stowage.model.StowageException;
import dev.stowage.report.Event;
import dev.stowage.report.Reporter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A reporter that keeps every event, for tests of phases that emit them (from any thread). */
public final class RecordingReporter implements Reporter {
    private final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public void emit(Event event) {
        events.add(event);
    }

    @Override
    public void error(StowageException error, String stacktrace) {
    }

    public List<Event> events() {
        return events;
    }

    /** The messages of the notices emitted so far, in order. */
    public List<String> notices() {
        return events.stream().filter(Event.Notice.class::isInstance).map(e -> ((Event.Notice) e).message()).toList();
    }
}
