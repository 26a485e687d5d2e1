package dev.taskwatch.reactor;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A client that plays a script, one entry per request (the last repeats), and records when each request was made (on
 * the current {@link Schedulers#parallel()} clock, which is virtual time under {@code withVirtualTime}).
 *
 * <p>Entries: a {@link CatalogTasksClient.Response}, a {@link Task}, a {@link Throwable} (signalled as an error) or a {@link Mono}.
 */
final class ScriptedClient implements CatalogTasksClient {

    private final List<Object> script;
    final List<Long> callNanos = Collections.synchronizedList(new ArrayList<>());
    final List<@Nullable String> requestIds = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger subscriptions = new AtomicInteger();
    final AtomicInteger cancellations = new AtomicInteger();
    /** The clock request times are read from; null for the current {@link Schedulers#parallel()}. */
    volatile @Nullable Scheduler clock;

    ScriptedClient(Object... script) {
        this.script = Arrays.asList(script);
    }

    @Override
    public Mono<CatalogTasksClient.Response> exchange(String zoneId, String taskId, @Nullable String clientRequestId) {
        int n = calls.getAndIncrement();
        Object entry = script.get(Math.min(n, script.size() - 1));
        return Mono.defer(() -> {
                    subscriptions.incrementAndGet();
                    callNanos.add((clock != null ? clock : Schedulers.parallel()).now(TimeUnit.NANOSECONDS));
                    requestIds.add(clientRequestId);
                    return toMono(entry);
                })
                .doOnCancel(cancellations::incrementAndGet);
    }

    @SuppressWarnings("unchecked")
    private static Mono<CatalogTasksClient.Response> toMono(Object entry) {
        if (entry instanceof CatalogTasksClient.Response r) {
            return Mono.just(r);
        }
        if (entry instanceof Task t) {
            return Mono.just(new CatalogTasksClient.Response(t, null));
        }
        if (entry instanceof Throwable e) {
            return Mono.error(e);
        }
        return (Mono<CatalogTasksClient.Response>) entry;
    }

    /** Reads request times from {@code clock} instead of the current parallel scheduler. */
    ScriptedClient clock(Scheduler clock) {
        this.clock = clock;
        return this;
    }

    /** Times of the requests, in milliseconds of virtual time. */
    List<Long> callMillis() {
        synchronized (callNanos) {
            return callNanos.stream().map(ns -> ns / 1_000_000L).toList();
        }
    }

    /** Times of the requests, in whole seconds of virtual time. */
    List<Long> callSeconds() {
        synchronized (callNanos) {
            return callNanos.stream().map(ns -> ns / 1_000_000_000L).toList();
        }
    }
}
