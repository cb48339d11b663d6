package dev.parley.rendezvous.relay;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StoredIdsTest {
    @Test
    void everyIdAddedOrStoredIsFoundAndFewNewOnesAre() {
        List<String> stored = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            stored.add(UUID.randomUUID().toString());
        }
        StoredIds ids = new StoredIds(stored);
        List<String> added = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            String id = "m-" + i;
            ids.add(id);
            added.add(id);
        }
        stored.forEach(id -> assertTrue(ids.mightContain(id), id));
        added.forEach(id -> assertTrue(ids.mightContain(id), id));
        int falsePositives = 0;
        for (int i = 0; i < 100_000; i++) {
            if (ids.mightContain(UUID.randomUUID().toString())) {
                falsePositives++;
            }
        }
        assertTrue(falsePositives < 2_000, "under 2% of new ids need a look-up at capacity: " + falsePositives);
    }

    @Test
    void fullOnceItsCapacityWasAddedAndEmptyAfterARebuild() {
        StoredIds ids = new StoredIds(List.of());
        for (int i = 0; i < 100_000 && !ids.full(); i++) {
            ids.add("m-" + i);
        }
        assertTrue(ids.full());
        ids.rebuild(List.of("kept"));
        assertTrue(!ids.full() && ids.mightContain("kept"));
    }
}
