package dev.parley.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Every run's result per subject and payload, subjects in the order first measured. */
final class Samples<T> {
    private final Map<String, Map<Integer, List<T>>> bySubject = new LinkedHashMap<>();

    void add(String subject, int payload, T result) {
        bySubject.computeIfAbsent(subject, k -> new LinkedHashMap<>()).computeIfAbsent(payload, k -> new ArrayList<>()).add(result);
    }

    Set<String> subjects() {
        return bySubject.keySet();
    }

    /** Median, min and max over the runs of one field of the results. */
    Stats stat(String subject, int payload, Function<T, Double> field) {
        return Stats.of(bySubject.get(subject).get(payload).stream().map(field).toList());
    }
}
