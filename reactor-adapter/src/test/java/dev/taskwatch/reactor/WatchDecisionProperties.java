package dev.taskwatch.reactor;

import static dev.taskwatch.reactor.Tasks.TASK;
import static dev.taskwatch.reactor.Tasks.ZONE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.CatalogTransportException;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.guard.LiveTimers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The per-answer decision, for any sequence of answers, hints and failures, driven through a real watch on virtual
 * time: never backwards, nothing after a terminal answer, every wait within {@code [initialDelay, max(maxDelay,
 * hint)]}, the deadline honoured, and no error that is not one of ours.
 */
class WatchDecisionProperties {

    private static final List<String> STATUSES = List.of("pending", "running", "validating", "completed", "failed");

    /** One scripted answer, and the hint it carries (for the wait that follows it). */
    record Answer(Object entry, @Nullable Duration hint) {
        @Override
        public String toString() {
            return (entry instanceof CatalogTasksClient.Response r
                            ? r.task().statusValue()
                            : entry.getClass().getSimpleName())
                    + (hint == null ? "" : "+" + hint.toMillis() + "ms");
        }
    }

    record Setup(
            long initialMs,
            long maxMs,
            double multiplier,
            double jitter,
            @Nullable Long timeoutMs,
            long graceMs) {
        WatchOptions options(LiveTimers clock) {
            WatchOptions o = WatchOptions.defaults()
                    .initialDelay(Duration.ofMillis(initialMs))
                    .maxDelay(Duration.ofMillis(maxMs))
                    .multiplier(multiplier)
                    .jitter(jitter)
                    .notFoundGrace(Duration.ofMillis(graceMs))
                    .maxConsecutiveErrors(5)
                    .scheduler(clock);
            return timeoutMs == null ? o : o.timeout(Duration.ofMillis(timeoutMs));
        }
    }

    @Property(tries = 400)
    void theDecisionHoldsItsRulesForAnyAnswers(@ForAll("answers") List<Answer> answers, @ForAll("setups") Setup setup) {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        LiveTimers clock = new LiveTimers(time);
        ScriptedClient client =
                new ScriptedClient(answers.stream().map(Answer::entry).toArray()).clock(clock);
        TaskWatcher watcher = TaskWatcher.create(client, setup.options(clock));
        List<Task> emitted = new ArrayList<>();
        List<Long> emittedAt = new ArrayList<>();
        Throwable[] error = new Throwable[1];
        long[] endedAt = {-1};
        boolean[] completed = {false};

        Disposable watch = watcher.watch(ZONE, TASK)
                .subscribe(
                        t -> {
                            assertThat(endedAt[0]).as("nothing after the end").isEqualTo(-1);
                            emitted.add(t);
                            emittedAt.add(clock.now(java.util.concurrent.TimeUnit.MILLISECONDS));
                        },
                        e -> {
                            error[0] = e;
                            endedAt[0] = clock.now(java.util.concurrent.TimeUnit.MILLISECONDS);
                        },
                        () -> {
                            completed[0] = true;
                            endedAt[0] = clock.now(java.util.concurrent.TimeUnit.MILLISECONDS);
                        });
        for (int step = 0; step < 400 && endedAt[0] < 0 && client.calls.get() < 60; step++) {
            time.advanceTimeBy(Duration.ofSeconds(1));
        }
        watch.dispose();
        time.advanceTimeBy(Duration.ofDays(1));

        List<Long> calls = client.callMillis();
        // Never backwards; each raw status at most once.
        int rank = -1;
        for (Task t : emitted) {
            assertThat(t.status().rank()).as("rank of %s", t.statusValue()).isGreaterThanOrEqualTo(rank);
            rank = t.status().rank();
        }
        assertThat(emitted.stream().map(Task::statusValue).distinct().count()).isEqualTo(emitted.size());
        // Nothing after terminal: it is the last emission, the watch completes, and no request follows the answer.
        int terminalAt = -1;
        for (int i = 0; i < calls.size(); i++) {
            Answer a = answers.get(Math.min(i, answers.size() - 1));
            if (a.entry() instanceof CatalogTasksClient.Response r
                    && r.task().status().isTerminal()) {
                terminalAt = i;
                break;
            }
        }
        if (!emitted.isEmpty() && emitted.get(emitted.size() - 1).status().isTerminal()) {
            assertThat(completed[0]).isTrue();
            assertThat(error[0]).isNull();
            assertThat(calls).hasSize(terminalAt + 1);
        }
        assertThat(emitted.stream().filter(t -> t.status().isTerminal()).count())
                .isLessThanOrEqualTo(1);
        // Every wait within [initialDelay, max(maxDelay, hint)] (answers are instant, so a wait is a gap).
        List<Long> nanos;
        synchronized (client.callNanos) {
            nanos = List.copyOf(client.callNanos);
        }
        long ms = 1_000_000L;
        for (int i = 1; i < nanos.size(); i++) {
            Duration hint = answers.get(Math.min(i - 1, answers.size() - 1)).hint();
            long gap = nanos.get(i) - nanos.get(i - 1);
            if (hint == null) {
                long floor = Math.min(setup.initialMs(), setup.maxMs());
                assertThat(gap).as("wait %d", i).isBetween(floor * ms, setup.maxMs() * ms);
            } else {
                assertThat(gap).as("hinted wait %d", i).isEqualTo(Math.max(setup.initialMs(), hint.toMillis()) * ms);
            }
        }
        // Our errors only, each with the polls made; the deadline is honoured both ways.
        if (error[0] != null) {
            assertThat(error[0]).isInstanceOf(WatchException.class);
            assertThat(((WatchException) error[0]).polls()).isEqualTo(calls.size());
        }
        Long timeout = setup.timeoutMs();
        if (timeout != null) {
            assertThat(emittedAt).allSatisfy(at -> assertThat(at).isLessThanOrEqualTo(timeout));
            assertThat(calls).allSatisfy(at -> assertThat(at).isLessThan(timeout));
            if (error[0] instanceof WatchTimeoutException late) {
                assertThat(endedAt[0]).isLessThanOrEqualTo(timeout);
                assertThat(late.elapsed().toMillis()).isEqualTo(endedAt[0]);
                if (endedAt[0] < timeout) {
                    // Early only because the server asked to wait past the deadline.
                    assertThat(late).hasMessageContaining("past the deadline");
                }
            }
        } else {
            assertThat(error[0] instanceof WatchTimeoutException)
                    .as("a timeout without a timeout")
                    .isFalse();
        }
        assertThat(watcher.loopCount()).isZero();
        assertThat(clock.pending()).isZero();
    }

    @Provide
    Arbitrary<List<Answer>> answers() {
        Arbitrary<Duration> hint = Arbitraries.longs()
                .between(-2_000, 30_000)
                .map(Duration::ofMillis)
                .injectNull(0.7);
        Arbitrary<Answer> status = Combinators.combine(Arbitraries.of(STATUSES), hint)
                .as((s, h) -> new Answer(new CatalogTasksClient.Response(Tasks.task(s), h), h));
        Arbitrary<Answer> redirect = Arbitraries.just(new Answer(Tasks.redirect("inst-1"), null));
        Arbitrary<Answer> busy = Combinators.combine(Arbitraries.of(429, 503, 502), hint)
                .as((code, h) -> new Answer(Tasks.apiError(code, h), h));
        Arbitrary<Answer> notFound = hint.map(h -> new Answer(Tasks.apiError(404, h), h));
        Arbitrary<Answer> reset = Arbitraries.just(
                new Answer(new CatalogTransportException("GET … failed: connection reset", null, true), null));
        Arbitrary<Answer> fatal = Arbitraries.just(new Answer(Tasks.apiError(403), null));
        Arbitrary<Answer> answer = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(10, status),
                net.jqwik.api.Tuple.of(1, redirect),
                net.jqwik.api.Tuple.of(4, busy),
                net.jqwik.api.Tuple.of(2, notFound),
                net.jqwik.api.Tuple.of(2, reset),
                net.jqwik.api.Tuple.of(1, fatal));
        return answer.list().ofMinSize(1).ofMaxSize(25);
    }

    @Provide
    Arbitrary<Setup> setups() {
        return Combinators.combine(
                        Arbitraries.longs().between(50, 3_000),
                        Arbitraries.longs().between(50, 20_000),
                        Arbitraries.doubles().between(1.0, 3.0),
                        Arbitraries.of(0.0, 0.1, 0.5),
                        Arbitraries.longs().between(1, 120_000).injectNull(0.3),
                        Arbitraries.longs().between(0, 60_000))
                .as(Setup::new);
    }
}
