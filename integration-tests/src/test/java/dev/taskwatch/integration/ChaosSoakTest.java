package dev.taskwatch.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.core.testing.Await;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.reactor.WatchOptions;
import dev.taskwatch.testkit.CatalogSimulator;
import dev.taskwatch.testkit.Fault;
import dev.taskwatch.testkit.RecordedRequest;
import dev.taskwatch.testkit.ScriptedTask;
import io.netty.handler.timeout.ReadTimeoutException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Many concurrent watches against one simulator that faults a fixed share of its answers: nothing is lost, nothing is
 * repeated, nothing is asked after the end, nothing is left lent out. The defaults are the CI run (500 watches, 20 %
 * faults, one round, about 15 s here); the {@code soak} profile of this module scales the same test through system
 * properties ({@code chaos.watches}, {@code chaos.faultRate}, {@code chaos.duration}, ...) and repeats rounds until
 * the duration has passed.
 *
 * <p>Figures are printed as one {@code CHAOS} block per run, for RELIABILITY.md.
 */
class ChaosSoakTest {

    private static final int WATCHES = Integer.getInteger("chaos.watches", 500);
    private static final double FAULT_RATE = Double.parseDouble(System.getProperty("chaos.faultRate", "0.2"));
    /** Rounds are repeated until this much time has passed; zero runs one round. */
    private static final Duration DURATION = Duration.parse(System.getProperty("chaos.duration", "PT0S"));
    /** The longest a task is scripted to stay pending plus running. */
    private static final Duration TASK_LIFE = Duration.parse(System.getProperty("chaos.taskLife", "PT3S"));

    /**
     * Added to every task's pending phase: starting hundreds of watches at once on a cold JVM takes seconds on a
     * shared 2-core machine, and a task that ended before its first poll would show no transition at all.
     */
    private static final Duration START_ALLOWANCE = Duration.parse(System.getProperty("chaos.startAllowance", "PT5S"));

    /**
     * Each watch's {@code timeout}, when the default above is too tight: 10,000 watches on a shared 2-core machine
     * wait for a connection far longer than 500 do.
     */
    private static final @Nullable Duration WATCH_TIMEOUT = System.getProperty("chaos.watchTimeout") == null
            ? null
            : Duration.parse(System.getProperty("chaos.watchTimeout"));

    private static final Duration MAX_DELAY = Duration.parse(System.getProperty("chaos.maxDelay", "PT0.2S"));
    private static final long SEED = Long.getLong("chaos.seed", 20261128L);
    /** Requests the simulator keeps for the server-side checks; the soak turns this off to stay within its heap. */
    private static final int RECORD = Integer.getInteger("chaos.recordRequests", 200_000);
    /**
     * Consecutive failures a watch tolerates. The faults are a pure function of the seed, the task and the request
     * number, so the longest streak each watch can meet is computed before the run ({@link #longestErrorStreak}) and
     * the run refuses to start if the budget would not cover it: an unlucky streak can never fail this test, while a
     * failure the simulator did not inject still shows up (see "unexplained failures"). With the CI seed at 20 % the
     * longest streak is far below 10, the library's default; 30 % over a long soak needs more, hence 20.
     */
    private static final int ERROR_BUDGET = Integer.getInteger("chaos.errorBudget", 20);

    /**
     * Small, so that stalls cost little, but not so small that an unfaulted answer on a loaded 2-core machine misses
     * it (those are counted apart: "response timeouts on unfaulted requests").
     */
    /**
     * One answer decoded before the watches start. Core's first concurrent decodes contend on a lock inside Jackson
     * ({@code DeserializerCache._createAndCacheValueDeserializer}, a {@code ReentrantLock}) on the event loops, which
     * BlockHound reports as a blocking call (RELIABILITY.md, "findings"). {@code -Dchaos.warmUp=false} reproduces it;
     * the warm-up keeps this test about the run, and every later blocking call still fails it.
     */
    private static final boolean WARM_UP = Boolean.parseBoolean(System.getProperty("chaos.warmUp", "true"));

    private static final Duration RESPONSE_TIMEOUT =
            Duration.parse(System.getProperty("chaos.responseTimeout", "PT0.5S"));

    private static final Duration STALL = RESPONSE_TIMEOUT.multipliedBy(2);
    private static final int MAX_RESPONSE_BYTES = 16 * 1024;
    /** The client's pool, the library's default, set here because the end-of-round check needs the number. */
    private static final int CONNECTIONS = 64;

    private static final String ZONE = "chaos";
    /** Requests per task and round covered by the streak check; a watch that needs more fails the run. */
    private static final int STREAK_HORIZON = 1_000;

    /** Every kind of fault the simulator has, with small hints; all but the stale status are failures. */
    private static final Fault[] FAULTS = {
        Fault.status(503),
        Fault.status(503).retryAfter(Duration.ZERO),
        Fault.status(429),
        Fault.status(429).retryAfterMillis(Duration.ofMillis(150)),
        Fault.status(500),
        Fault.htmlBadGateway(),
        Fault.reset(),
        Fault.stall(STALL), // past the response timeout: the client gives up first
        Fault.malformedBody(),
        Fault.oversizedBody(4 * MAX_RESPONSE_BYTES),
        Fault.staleStatus(),
        Fault.closeDelimitedBody(),
        Fault.closeOnReuse(),
    };

    @Test
    void everyWatchEndsWithItsScriptedOutcomeThroughFaults() throws InterruptedException {
        Figures figures = new Figures();
        long start = System.nanoTime();
        try (CatalogSimulator sim =
                        CatalogSimulator.builder().recordRequests(RECORD).start();
                CatalogTasksClient client = CatalogTasksClient.builder()
                        .baseUrl(sim.baseUrl())
                        .credentials(Credentials.none())
                        .responseTimeout(RESPONSE_TIMEOUT)
                        .maxResponseBytes(MAX_RESPONSE_BYTES)
                        .maxConnections(CONNECTIONS)
                        .build()) {
            if (WARM_UP) {
                sim.task("warm-up", "task-0").running(Duration.ofDays(1));
                // Retried: a cold JVM on a busy machine can miss the response timeout on its first request.
                client.retrieve("warm-up", "task-0").retry(10).block(Duration.ofSeconds(60));
            }
            Ledgers ledgers = new Ledgers(client);
            // Each watch's timeout: its task's longest life, twice over, and half a minute of retries.
            Duration deadline = WATCH_TIMEOUT != null
                    ? WATCH_TIMEOUT
                    : START_ALLOWANCE.plus(TASK_LIFE.multipliedBy(2)).plusSeconds(30);
            TaskWatcher watcher = TaskWatcher.create(
                    ledgers,
                    WatchOptions.defaults()
                            .initialDelay(Duration.ofMillis(20))
                            .maxDelay(MAX_DELAY)
                            .jitter(0.2)
                            .timeout(deadline)
                            // Every task here becomes visible after at most three 404s; the default grace (30 s from
                            // subscription) is shorter than those three polls take when 10,000 watches queue for 64
                            // connections, and ending such a watch would be right by the design but no finding.
                            .notFoundGrace(deadline)
                            .maxConsecutiveErrors(ERROR_BUDGET));
            int round = 0;
            do {
                runRound(sim, client, watcher, ledgers, round++, deadline, figures);
            } while (Duration.ofNanos(System.nanoTime() - start).compareTo(DURATION) < 0);
            figures.rounds = round;
        } finally {
            figures.elapsed = Duration.ofNanos(System.nanoTime() - start);
            System.out.println(figures.report());
        }
        assertThat(figures.lost).as("lost transitions").isZero();
        assertThat(figures.duplicated).as("duplicated transitions").isZero();
        assertThat(figures.afterTerminalClient)
                .as("requests after terminal (client)")
                .isZero();
        assertThat(figures.afterTerminalServer)
                .as("requests after terminal (server)")
                .isZero();
        assertThat(figures.unexplainedFailures).as("failures not injected").isZero();
        assertThat(figures.blockingCalls)
                .as("blocking calls on non-blocking threads")
                .isZero();
        assertThat(figures.unmatchedRequests)
                .as("requests sent vs requests served")
                .isZero();
    }

    private static void runRound(
            CatalogSimulator sim,
            CatalogTasksClient client,
            TaskWatcher watcher,
            Ledgers ledgers,
            int round,
            Duration deadline,
            Figures figures)
            throws InterruptedException {
        sim.clearRequests(); // also forgets the warm-up request
        ledgers.reset();
        List<Script> scripts = script(sim, round);
        int budgetNeeded = 0;
        for (Script s : scripts) {
            budgetNeeded = Math.max(budgetNeeded, longestErrorStreak(s.task, s.firstRequest));
        }
        figures.longestStreak = Math.max(figures.longestStreak, budgetNeeded);
        assertThat(budgetNeeded)
                .as("longest run of injected failures with seed %d, round %d: raise chaos.errorBudget", SEED, round)
                .isLessThanOrEqualTo(ERROR_BUDGET);

        long roundStart = System.nanoTime();
        List<Outcome> outcomes = Flux.fromIterable(scripts)
                .flatMap(
                        s -> watcher.watch(ZONE, s.taskId)
                                .collectList()
                                .elapsed()
                                .map(t -> new Outcome(s, t.getT2(), null, Duration.ofMillis(t.getT1())))
                                .onErrorResume(e -> Mono.just(new Outcome(s, List.of(), e, null))),
                        scripts.size())
                .collectList()
                .block(deadline.plusSeconds(30));
        assertThat(outcomes).hasSize(scripts.size());

        // Each watch: exactly its scripted end, strictly forward, before its deadline.
        List<Long> durations = new ArrayList<>();
        List<Long> firstAnswer = new ArrayList<>();
        for (Outcome o : outcomes) {
            Script s = o.script;
            assertThat(o.error).as("watch of %s", s.taskId).isNull();
            assertThat(o.elapsed).as("watch of %s", s.taskId).isLessThan(deadline);
            figures.slowest = max(figures.slowest, o.elapsed);
            durations.add(o.elapsed.toMillis());
            List<Task> seen = o.transitions;
            assertThat(seen).as("transitions of %s", s.taskId).isNotEmpty();
            Task last = seen.get(seen.size() - 1);
            if (s.failure != null) {
                assertThat(last.status()).as("end of %s", s.taskId).isEqualTo(TaskStatus.FAILED);
                assertThat(last.errorMessage()).isEqualTo(s.failure);
            } else {
                assertThat(last.status()).as("end of %s", s.taskId).isEqualTo(TaskStatus.COMPLETED);
                assertThat(last.installId()).isEqualTo(s.installId);
            }
            for (int i = 1; i < seen.size(); i++) {
                assertThat(seen.get(i).status().rank())
                        .as("transitions of %s: %s", s.taskId, statuses(seen))
                        .isGreaterThan(seen.get(i - 1).status().rank());
            }
            // What the watcher should have emitted from what the client handed it, per DESIGN.md §4.2.
            Ledger ledger = ledgers.of(s.taskId);
            firstAnswer.add((ledger.firstAnswerNanos - roundStart) / 1_000_000);
            List<String> expected = expectedTransitions(ledger.delivered);
            List<String> emitted = statuses(seen);
            figures.lost += missing(expected, emitted);
            figures.duplicated += emitted.size() - new HashSet<>(emitted).size();
            figures.transitions += emitted.size();
            figures.afterTerminalClient += ledger.afterTerminal;
            figures.polls += ledger.sentCount();
            figures.clientFailures += ledger.failures;
            if (s.failure != null) {
                figures.failed++;
            } else {
                figures.completed++;
            }
        }

        // No request held, no loop left; then nothing keeps asking. (Nothing left lent out: checked at the end.)
        Await.until(
                () -> sim.stalledRequests() == 0,
                Duration.ofSeconds(10),
                () -> "requests still stalled: " + sim.stalledRequests());
        Await.until(
                () -> watcher.activeWatches().isEmpty(),
                Duration.ofSeconds(10),
                () -> "loops left: " + watcher.activeWatches());
        long served = sim.requestCount();
        Thread.sleep(MAX_DELAY.multipliedBy(3).toMillis());
        assertThat(sim.requestCount()).as("requests after every watch ended").isEqualTo(served);
        figures.serverRequests += served;

        // What the server saw: per task, the faults it injected, and nothing after the answer that ended the watch.
        boolean recordedAll = RECORD > 0 && served <= RECORD;
        Map<String, List<RecordedRequest>> byTask = new HashMap<>();
        if (recordedAll) {
            for (RecordedRequest r : sim.requests()) {
                byTask.computeIfAbsent(r.taskId(), k -> new ArrayList<>()).add(r);
            }
        } else {
            figures.serverCheck = "by count (recording " + (RECORD == 0 ? "off" : "truncated") + ")";
        }
        for (Script s : scripts) {
            Ledger ledger = ledgers.of(s.taskId);
            int made = s.task.requestCount() - s.firstRequest;
            assertThat(made).as("requests for %s", s.taskId).isLessThanOrEqualTo(STREAK_HORIZON);
            Set<Integer> closedOnReuse = Set.copyOf(s.task.requestsClosedOnReuse());
            // Tasks live on across rounds: count this round's closed requests only.
            figures.closedOnReuse += closedOnReuse.stream()
                    .filter(k -> k > s.firstRequest && k <= s.firstRequest + made)
                    .count();
            // Request n of the round is the server's request firstRequest + n: polls of a task never overlap, and
            // every request sent reaches the server (checked just below).
            for (int n = 1; n <= made; n++) {
                Fault f = s.task.faultFor(s.firstRequest + n);
                if (f != null) {
                    figures.faults.merge(f.toString(), 1, Integer::sum);
                    figures.faultsTotal++;
                }
                // A request that reused a connection a closeOnReuse() left closing fails whatever its own script
                // says; otherwise the script decides (a scripted answer is a 404 while the task is invisible).
                int number = s.firstRequest + n;
                boolean shouldFail = closedOnReuse.contains(number)
                        || (f == null || answersAsScripted(f) ? number <= s.notFoundFor : fails(f));
                Object outcome = n <= ledger.sentCount() ? ledger.outcome(n) : null;
                if (outcome instanceof Failure failure && failure.blocking()) {
                    // BlockHound (core's test guard) caught a blocking call on a non-blocking thread of the client;
                    // the ledger printed its stack trace.
                    figures.blockingCalls++;
                    continue;
                }
                if (shouldFail == Ledger.isFailure(outcome)) {
                    continue;
                }
                if (!shouldFail && Ledger.isTimeout(outcome)) {
                    // The client's response timeout on an answer that came late: a loaded machine, not a fault.
                    figures.lateAnswers++;
                    continue;
                }
                figures.unexplainedFailures++;
                if (figures.samples.size() < 20) {
                    figures.samples.add(s.taskId + " request " + n + ": injected " + f + ", client got " + outcome);
                }
            }
            // Every request the client made reached the server once, and no other did (no hidden retry).
            figures.unmatchedRequests += Math.abs(made - ledger.sentCount());
            if (recordedAll) {
                List<RecordedRequest> rs = byTask.getOrDefault(s.taskId, List.of());
                assertThat(rs).as("recorded requests of %s", s.taskId).hasSize(made);
                // The request whose answer ended the watch must have been answered terminal by the server, and be
                // the last one. Terminal answers before it are ones the client gave up on (a late answer).
                int end = ledger.terminalRequest;
                assertThat(end).as("terminal request of %s", s.taskId).isBetween(1, rs.size());
                Instant terminalAt = s.task.terminalAt();
                for (int i = 0; i < end; i++) {
                    RecordedRequest r = rs.get(i);
                    boolean terminal = (r.fault() == null || answersAsScripted(r.fault()))
                            && (r.status() == 303
                                    || (r.status() == 200 && !r.time().isBefore(terminalAt)));
                    if (i == end - 1) {
                        assertThat(terminal)
                                .as("server answered request %d of %s terminal: %s", end, s.taskId, r)
                                .isTrue();
                    } else if (terminal) {
                        figures.terminalAnswersMissed++;
                    }
                }
                figures.afterTerminalServer += rs.size() - end;
            } else {
                figures.afterTerminalServer += made - ledger.terminalRequest;
            }
        }
        figures.watches += scripts.size();
        // Nothing left lent out or waited for: the whole pool can hold requests at once.
        ConnectionPoolCheck.assertEveryConnectionFree(sim, client, CONNECTIONS);
        System.gc(); // live heap, not garbage: what 256 MiB must hold
        figures.heapUsedMiB = Math.max(
                figures.heapUsedMiB,
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024));
        durations.sort(null);
        firstAnswer.sort(null);
        System.out.printf(
                "CHAOS round %d: %d watches in %d ms; watch ms p50 %d, p99 %d, max %d; first answer after ms p50 %d,"
                        + " max %d; so far %d polls, %d faults, %d lost, %d duplicated%n",
                round,
                scripts.size(),
                (System.nanoTime() - roundStart) / 1_000_000,
                durations.get(durations.size() / 2),
                durations.get(durations.size() * 99 / 100),
                durations.get(durations.size() - 1),
                firstAnswer.get(firstAnswer.size() / 2),
                firstAnswer.get(firstAnswer.size() - 1),
                figures.polls,
                figures.faultsTotal,
                figures.lost,
                figures.duplicated);
    }

    /** Scripts (or re-scripts, for a later round) one task per watch. */
    private static List<Script> script(CatalogSimulator sim, int round) {
        SplittableRandom random = new SplittableRandom(SEED * 31 + round);
        long lifeMs = TASK_LIFE.toMillis();
        List<Script> scripts = new ArrayList<>(WATCHES);
        Instant now = sim.clock().instant();
        for (int i = 0; i < WATCHES; i++) {
            String taskId = "task-" + i;
            ScriptedTask task = sim.task(ZONE, taskId);
            // Request numbers go on across rounds; the script is about the ones from here on.
            int first = task.requestCount();
            String installId = "install-" + round + "-" + i;
            String failure = i % 5 == 1 ? "round " + round + ": package " + i + " could not be installed" : null;
            // Late visibility for one task in seven: 404 for its first one to three requests.
            int notFoundFor = i % 7 == 0 ? first + 1 + i % 3 : 0;
            task.createdAt(now)
                    .pending(START_ALLOWANCE.plusMillis(random.nextLong(lifeMs / 3 + 1)))
                    .running(Duration.ofMillis(random.nextLong(lifeMs * 2 / 3 + 1)))
                    .notFoundFor(notFoundFor)
                    .randomFaults(FAULT_RATE, SEED + round, FAULTS);
            if (failure != null) {
                task.fails(failure);
            } else {
                task.completes(installId);
            }
            scripts.add(new Script(taskId, task, first, notFoundFor, failure == null ? installId : null, failure));
        }
        return scripts;
    }

    /**
     * Whether the request a fault is scripted on fails. A stale status, a close-delimited body and a close-on-reuse
     * are answered (the last fails a later request on its connection, which the run accounts for apart).
     */
    static boolean fails(Fault f) {
        return !f.equals(Fault.staleStatus()) && !answersAsScripted(f);
    }

    /** Faults in how the connection behaves around an answer that is otherwise the scripted one. */
    static boolean answersAsScripted(Fault f) {
        return f.equals(Fault.closeDelimitedBody()) || f.equals(Fault.closeOnReuse());
    }

    /** The longest run of failing faults among the next {@link #STREAK_HORIZON} requests after {@code first}. */
    static int longestErrorStreak(ScriptedTask task, int first) {
        int longest = 0;
        int run = 0;
        for (int n = first + 1; n <= first + STREAK_HORIZON; n++) {
            Fault f = task.faultFor(n);
            // 404s within the grace are not counted by the watcher; a stale answer is a success.
            run = f != null && fails(f) ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }

    /** DESIGN.md §4.2: the first task seen, then each new status that does not move backwards. */
    static List<String> expectedTransitions(List<String> delivered) {
        List<String> out = new ArrayList<>();
        Set<String> emitted = new HashSet<>();
        int rank = -1;
        for (String value : delivered) {
            TaskStatus status = TaskStatus.fromWire(value);
            if (status.rank() < rank || !emitted.add(value)) {
                continue;
            }
            rank = status.rank();
            out.add(value);
            if (status.isTerminal()) {
                break;
            }
        }
        return out;
    }

    private static int missing(List<String> expected, List<String> emitted) {
        List<String> left = new ArrayList<>(expected);
        for (String e : emitted) {
            left.remove(e);
        }
        // Emitted out of order or extra also count: the lists must be equal.
        return left.size() + (emitted.size() > expected.size() ? emitted.size() - expected.size() : 0);
    }

    private static List<String> statuses(List<Task> tasks) {
        List<String> out = new ArrayList<>(tasks.size());
        for (Task t : tasks) {
            out.add(t.statusValue());
        }
        return out;
    }

    private static @Nullable Duration max(@Nullable Duration a, @Nullable Duration b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) >= 0 ? a : b;
    }

    private record Script(
            String taskId,
            ScriptedTask task,
            int firstRequest,
            int notFoundFor,
            @Nullable String installId,
            @Nullable String failure) {}

    private record Outcome(
            Script script,
            List<Task> transitions,
            @Nullable Throwable error,
            @Nullable Duration elapsed) {}

    /** A failed exchange: whether it was the response timeout or a blocking call BlockHound caught, and what. */
    record Failure(boolean timeout, boolean blocking, String message) {
        @Override
        public String toString() {
            return message;
        }
    }

    /** What the client handed the watcher for one task in one round. Polls of one task never overlap. */
    static final class Ledger {
        private static final Object OK = new Object();

        /** The status values handed over, in order (strings, not Tasks: 10,000 watches fit in 256 MiB). */
        final List<String> delivered = new ArrayList<>();
        /** Per request of the round, in order: {@link #OK}, a {@link Failure}, or null while in flight. */
        final List<@Nullable Object> outcomes = new ArrayList<>();

        long firstSentNanos;
        long firstAnswerNanos;
        int afterTerminal;
        int terminalRequest;
        int failures;

        /** Counts a request going out; returns its number in the round (1 = the first). */
        synchronized int sent() {
            if (firstSentNanos == 0) {
                firstSentNanos = System.nanoTime();
            }
            if (terminalRequest > 0) {
                afterTerminal++;
            }
            outcomes.add(null);
            return outcomes.size();
        }

        synchronized void delivered(int request, Task task) {
            if (firstAnswerNanos == 0) {
                firstAnswerNanos = System.nanoTime();
            }
            outcomes.set(request - 1, OK);
            delivered.add(task.statusValue());
            if (task.status().isTerminal() && terminalRequest == 0) {
                terminalRequest = request;
            }
        }

        synchronized void failed(int request, Throwable e) {
            boolean blocking = e.getCause() instanceof BlockingOperationError;
            if (blocking) {
                e.printStackTrace(System.out);
            }
            // Only what the checks need: a Throwable and its stack trace per failure would not fit the soak's heap.
            outcomes.set(
                    request - 1, new Failure(e.getCause() instanceof ReadTimeoutException, blocking, e.toString()));
            failures++;
        }

        synchronized int sentCount() {
            return outcomes.size();
        }

        synchronized @Nullable Object outcome(int request) {
            return outcomes.get(request - 1);
        }

        static boolean isTimeout(@Nullable Object outcome) {
            return outcome instanceof Failure f && f.timeout();
        }

        static boolean isFailure(@Nullable Object outcome) {
            return outcome instanceof Failure;
        }
    }

    /** The client the watcher uses: the real one, with a ledger per task of what went out and what came back. */
    static final class Ledgers implements CatalogTasksClient {
        private final CatalogTasksClient delegate;
        private volatile Map<String, Ledger> ledgers = Map.of();

        Ledgers(CatalogTasksClient delegate) {
            this.delegate = delegate;
        }

        void reset() {
            Map<String, Ledger> fresh = new HashMap<>();
            for (int i = 0; i < WATCHES; i++) {
                fresh.put("task-" + i, new Ledger());
            }
            ledgers = fresh;
        }

        Ledger of(String taskId) {
            return ledgers.get(taskId);
        }

        @Override
        public Mono<CatalogTasksClient.Response> exchange(
                String zoneId, String taskId, @Nullable String clientRequestId) {
            Mono<CatalogTasksClient.Response> exchange = delegate.exchange(zoneId, taskId, clientRequestId);
            return Mono.defer(() -> {
                Ledger ledger = of(taskId);
                int request = ledger.sent();
                return exchange.doOnNext(r -> ledger.delivered(request, r.task()))
                        .doOnError(e -> ledger.failed(request, e));
            });
        }
    }

    /** The run's figures, summed over rounds. */
    static final class Figures {
        int rounds;
        long watches;
        long completed;
        long failed;
        long polls;
        long serverRequests;
        long transitions;
        long faultsTotal;
        long closedOnReuse;
        final Map<String, Integer> faults = new TreeMap<>();
        long lost;
        long duplicated;
        long afterTerminalClient;
        long afterTerminalServer;
        long clientFailures;
        long unexplainedFailures;
        long unmatchedRequests;
        long lateAnswers;
        long blockingCalls;
        final List<String> samples = new ArrayList<>();
        long terminalAnswersMissed;
        int longestStreak;
        long heapUsedMiB;
        String serverCheck = "from recorded requests";

        @Nullable
        Duration slowest;

        Duration elapsed = Duration.ZERO;

        String report() {
            StringBuilder sb = new StringBuilder("CHAOS figures\n");
            sb.append(String.format(
                    "  settings: watches=%d faultRate=%.2f duration=%s taskLife=%s startAllowance=%s watchTimeout=%s maxDelay=%s seed=%d errorBudget=%d"
                            + " responseTimeout=%s warmUp=%s maxHeap=%dMiB%n",
                    WATCHES,
                    FAULT_RATE,
                    DURATION,
                    TASK_LIFE,
                    START_ALLOWANCE,
                    WATCH_TIMEOUT == null ? "default" : WATCH_TIMEOUT,
                    MAX_DELAY,
                    SEED,
                    ERROR_BUDGET,
                    RESPONSE_TIMEOUT,
                    WARM_UP,
                    Runtime.getRuntime().maxMemory() / (1024 * 1024)));
            sb.append(String.format(
                    "  rounds=%d watches=%d (completed %d, failed %d) elapsed=%s slowest watch=%s%n",
                    rounds, watches, completed, failed, elapsed, slowest));
            sb.append(String.format(
                    "  polls made=%d (server saw %d), faults injected=%d (%.1f %%), transitions emitted=%d%n",
                    polls, serverRequests, faultsTotal, polls == 0 ? 0.0 : 100.0 * faultsTotal / polls, transitions));
            faults.forEach((k, v) -> sb.append(String.format("    %-45s %d%n", k, v)));
            sb.append(String.format("    %-45s %d%n", "requests closed on reuse (failed)", closedOnReuse));
            sb.append(String.format(
                    "  lost transitions=%d duplicated transitions=%d%n"
                            + "  requests after terminal: client=%d server=%d (%s)%n"
                            + "  failed exchanges=%d: not injected=%d, response timeouts on unfaulted requests=%d"
                            + " (terminal answers among them=%d)%n"
                            + "  requests sent but not served or served but not sent=%d; longest injected failure"
                            + " streak=%d%n"
                            + "  heap used after GC at round end (max)=%d MiB%n",
                    lost,
                    duplicated,
                    afterTerminalClient,
                    afterTerminalServer,
                    serverCheck,
                    clientFailures,
                    unexplainedFailures,
                    lateAnswers,
                    terminalAnswersMissed,
                    unmatchedRequests,
                    longestStreak,
                    heapUsedMiB));
            sb.append("  blocking calls caught by BlockHound=")
                    .append(blockingCalls)
                    .append('\n');
            samples.forEach(x -> sb.append("  unexplained: ").append(x).append('\n'));
            return sb.toString();
        }
    }
}
