package dev.taskwatch.testkit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.server.HttpServerRequest;

/** Keeps the newest {@code capacity} requests, lock-free; counts all of them. */
final class Recorder {

    private final int capacity;
    private final ConcurrentLinkedQueue<RecordedRequest> kept = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final LongAdder total = new LongAdder();

    Recorder(int capacity) {
        this.capacity = capacity;
    }

    boolean enabled() {
        return capacity > 0;
    }

    void count() {
        total.increment();
    }

    /** Keeps {@code req} as answered with {@code status} (0: none) and {@code fault}, unless recording is off. */
    void record(
            HttpServerRequest req,
            long now,
            @Nullable String zoneId,
            @Nullable String taskId,
            int status,
            @Nullable Fault fault) {
        if (!enabled()) {
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : req.requestHeaders()) {
            headers.merge(h.getKey(), h.getValue(), (a, b) -> a + ", " + b);
        }
        add(new RecordedRequest(
                Instant.ofEpochMilli(now), req.method().name(), req.uri(), headers, zoneId, taskId, status, fault));
    }

    private void add(RecordedRequest request) {
        kept.add(request);
        // Over capacity by a few for a moment under contention; never by more than the number of writers.
        if (size.incrementAndGet() > capacity && kept.poll() != null) {
            size.decrementAndGet();
        }
    }

    long total() {
        return total.sum();
    }

    List<RecordedRequest> snapshot() {
        return List.copyOf(kept);
    }

    List<RecordedRequest> snapshot(String zoneId, String taskId) {
        List<RecordedRequest> out = new ArrayList<>();
        for (RecordedRequest r : kept) {
            if (zoneId.equals(r.zoneId()) && taskId.equals(r.taskId())) {
                out.add(r);
            }
        }
        return List.copyOf(out);
    }

    void clear() {
        while (kept.poll() != null) {
            size.decrementAndGet();
        }
        total.reset();
    }
}
