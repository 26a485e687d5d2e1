package dev.taskwatch.testkit;

import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskOperation;
import dev.taskwatch.core.Warning;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The script of one task on a {@link CatalogSimulator}: its life by the simulator's clock, when it becomes visible,
 * and which of its requests go wrong. Obtained from {@link CatalogSimulator#task(String, String)}; every method
 * changes the script at once (thread-safe) and returns this, so a script reads as one chain:
 *
 * <pre>{@code
 * sim.task("zone-1", "task-1")
 *     .pending(Duration.ofSeconds(1))      // 200 {"status":"pending"} from creation for 1 s
 *     .running(Duration.ofSeconds(2))      // then 200 {"status":"running"} for 2 s
 *     .completes("install-1");             // then 303 See Other, Location: {base}/zones/zone-1/installs/install-1
 *
 * sim.task("zone-1", "task-2")
 *     .operation(TaskOperation.DELETE)
 *     .running(Duration.ofMillis(500))
 *     .warning("conflict", "adopted entity kept")
 *     .notFoundFor(2)                       // the first 2 requests get 404 not_found
 *     .fault(3, Fault.status(503).retryAfter(Duration.ofSeconds(1)))
 *     .fails("package not found");          // then 200 {"status":"failed","error_message":...}
 * }</pre>
 *
 * <p>The task is created ({@code created_at}, the start of its pending phase) when it is first scripted, by the
 * simulator's clock, unless {@link #createdAt(Instant)} says otherwise. Until told otherwise it has no pending or
 * running phase and completes with install id {@code install-{taskId}}. Times are kept to the millisecond.
 *
 * <p>Requests are numbered from 1 per task, counting every {@code GET} that reached the task (404s and faulted ones
 * included; those refused with {@code 401} excluded). For each request a scripted {@link #fault fault} for its number
 * wins, then a {@link #randomFaults random fault}, then {@link #notFoundFor 404 visibility}, then the scripted
 * status.
 */
public final class ScriptedTask {

    private static final Duration FOREVER = Duration.ofDays(365L * 1000);

    private final CatalogSimulator simulator;
    private final String zoneId;
    private final String taskId;
    final String key;
    private final AtomicInteger requestCount = new AtomicInteger();
    private final Queue<Integer> closedOnReuse = new ConcurrentLinkedQueue<>();
    private final AtomicReference<@Nullable Instant> terminalReportedAt = new AtomicReference<>();

    // The script, guarded by this. Requests read the compiled Plan without locking.
    private Instant createdAt;
    private Duration pending = Duration.ZERO;
    private Duration running = Duration.ZERO;
    private @Nullable String installId;
    private @Nullable String errorMessage;
    private String operation = "create";
    private @Nullable String packageId;
    private @Nullable String packageSlug;
    private @Nullable BigDecimal packageVersion;
    private final List<Warning> warnings = new ArrayList<>();
    private final List<Task.Link> links = new ArrayList<>();
    private int notFoundFor;
    private final TreeMap<Integer, Fault> faults = new TreeMap<>();
    private double faultProbability;
    private long faultSeed;
    private Fault[] faultChoices = new Fault[0];
    private long hintSeconds = -1;
    private long hintMillis = -1;

    private volatile @Nullable Plan plan;

    ScriptedTask(CatalogSimulator simulator, String zoneId, String taskId, Instant createdAt) {
        this.simulator = simulator;
        this.zoneId = zoneId;
        this.taskId = taskId;
        this.key = key(zoneId, taskId);
        this.createdAt = createdAt;
        String install = "install-" + taskId;
        this.installId = install.length() > 128 ? install.substring(0, 128) : install;
    }

    static String key(String zoneId, String taskId) {
        // The same characters as the request path after "/zones/", so a request is looked up without concatenation.
        return zoneId + "/catalog_tasks/" + taskId;
    }

    // ---------------------------------------------------------------- the script

    /**
     * When the task was created: {@code created_at} and the start of its pending phase. Defaults to the simulator
     * clock's time when the task was first scripted.
     *
     * @param createdAt the creation time, not {@code null}; truncated to the millisecond
     * @return this script, for chaining
     */
    public synchronized ScriptedTask createdAt(Instant createdAt) {
        this.createdAt =
                Objects.requireNonNull(createdAt, "createdAt").truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        return changed();
    }

    /**
     * How long the task reports {@code pending} after creation. Defaults to zero (never seen pending).
     *
     * @param duration the pending phase, by the simulator's clock, not {@code null}
     * @return this script, for chaining
     * @throws IllegalArgumentException if negative
     */
    public synchronized ScriptedTask pending(Duration duration) {
        this.pending = requireDuration(duration, "pending");
        return changed();
    }

    /**
     * How long the task reports {@code running} after its pending phase. Defaults to zero. Use a very long duration
     * for a task that never ends.
     *
     * @param duration the running phase, by the simulator's clock, not {@code null}
     * @return this script, for chaining
     * @throws IllegalArgumentException if negative
     */
    public synchronized ScriptedTask running(Duration duration) {
        this.running = requireDuration(duration, "running");
        return changed();
    }

    /**
     * Ends the task completed: {@code 303 See Other} with {@code Location: {base}/zones/{zone}/installs/{installId}}
     * and an empty body. The install id also appears as {@code install_id} in the task's {@code 200} bodies. This is
     * the default outcome, with install id {@code install-{taskId}}.
     *
     * @param installId the install id, not {@code null}; replaces an earlier {@link #fails(String)}
     * @return this script, for chaining
     */
    public synchronized ScriptedTask completes(String installId) {
        this.installId = Objects.requireNonNull(installId, "installId");
        this.errorMessage = null;
        return changed();
    }

    /**
     * Ends the task failed: {@code 200} with {@code "status":"failed"} and this {@code error_message}.
     *
     * @param errorMessage the message, not {@code null}; replaces an earlier {@link #completes(String)}
     * @return this script, for chaining
     */
    public synchronized ScriptedTask fails(String errorMessage) {
        this.errorMessage = Objects.requireNonNull(errorMessage, "errorMessage");
        this.installId = null;
        return changed();
    }

    /**
     * The task's operation. Defaults to {@link TaskOperation#CREATE}.
     *
     * @param operation the operation, not {@code null}
     * @return this script, for chaining
     * @throws IllegalArgumentException if {@code operation} is {@link TaskOperation#UNKNOWN}, which has no wire value
     */
    public synchronized ScriptedTask operation(TaskOperation operation) {
        Objects.requireNonNull(operation, "operation");
        String wire = operation.wireValue();
        if (wire == null) {
            throw new IllegalArgumentException("operation UNKNOWN has no wire value");
        }
        this.operation = wire;
        return changed();
    }

    /**
     * The package fields: {@code package_id}, {@code package_slug}, {@code package_version}. Defaults to none.
     *
     * @param packageId the package id, not {@code null}
     * @param packageSlug the package slug, not {@code null}
     * @param packageVersion the version, sent as a JSON integer
     * @return this script, for chaining
     */
    public synchronized ScriptedTask packageInfo(String packageId, String packageSlug, long packageVersion) {
        this.packageId = Objects.requireNonNull(packageId, "packageId");
        this.packageSlug = Objects.requireNonNull(packageSlug, "packageSlug");
        this.packageVersion = BigDecimal.valueOf(packageVersion);
        return changed();
    }

    /**
     * Adds a warning, reported in every {@code 200} body of the task (a {@code 303} has no body).
     *
     * @param warning the warning, not {@code null}; added after earlier ones
     * @return this script, for chaining
     */
    public synchronized ScriptedTask warning(Warning warning) {
        warnings.add(Objects.requireNonNull(warning, "warning"));
        return changed();
    }

    /**
     * Adds a warning with this code (such as {@code conflict}) and message, {@code status 200}, the task's path and
     * its creation time, as a delete task reports an adopted entity it keeps.
     *
     * @param codeValue the raw code, not {@code null}; need not be one {@link dev.taskwatch.core.ErrorCode} knows
     * @param message the message, not {@code null}
     * @return this script, for chaining
     */
    public synchronized ScriptedTask warning(String codeValue, String message) {
        Objects.requireNonNull(codeValue, "codeValue");
        Objects.requireNonNull(message, "message");
        return warning(new Warning(codeValue, List.of(), message, "/zones/" + key, null, 200, createdAt));
    }

    /**
     * Adds a link to the task's {@code 200} bodies.
     *
     * @param link the link, not {@code null}; added after earlier ones
     * @return this script, for chaining
     */
    public synchronized ScriptedTask link(Task.Link link) {
        links.add(Objects.requireNonNull(link, "link"));
        return changed();
    }

    /**
     * Makes the first {@code requests} requests answer {@code 404 not_found}, as the API does while a new task is not
     * yet visible. Defaults to 0.
     *
     * @param requests how many requests, counted from the task's first
     * @return this script, for chaining
     * @throws IllegalArgumentException if negative
     */
    public synchronized ScriptedTask notFoundFor(int requests) {
        if (requests < 0) {
            throw new IllegalArgumentException("requests must not be negative, got " + requests);
        }
        this.notFoundFor = requests;
        return changed();
    }

    /**
     * Applies {@code fault} to the task's {@code nth} request (1 = the first), replacing any fault scripted for it.
     *
     * @param nth the request's number, counted from 1
     * @param fault the fault, not {@code null}; it takes precedence over {@link #randomFaults}
     * @return this script, for chaining
     * @throws IllegalArgumentException if {@code nth} is below 1
     */
    public synchronized ScriptedTask fault(int nth, Fault fault) {
        if (nth < 1) {
            throw new IllegalArgumentException("nth must be at least 1, got " + nth);
        }
        faults.put(nth, Objects.requireNonNull(fault, "fault"));
        return changed();
    }

    /**
     * Applies one of {@code choices} to each request with probability {@code probability}, reproducibly: whether and
     * which fault hits a request depends only on the seed, the zone and task ids and the request's number, not on
     * timing. A probability of 0 turns random faults off.
     *
     * @param probability the chance, from 0 to 1, that a request meets a fault
     * @param seed the seed that makes the choice reproducible
     * @param choices the faults to pick from, uniformly; none may be {@code null}
     * @return this script, for chaining
     * @throws IllegalArgumentException if {@code probability} is not within 0–1, or it is positive with no choices
     */
    public synchronized ScriptedTask randomFaults(double probability, long seed, Fault... choices) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be within 0-1, got " + probability);
        }
        Fault[] copy = choices.clone();
        for (Fault f : copy) {
            Objects.requireNonNull(f, "choices");
        }
        if (probability > 0 && copy.length == 0) {
            throw new IllegalArgumentException("at least one fault to choose from is required");
        }
        this.faultProbability = probability;
        this.faultSeed = seed;
        this.faultChoices = copy;
        return changed();
    }

    /**
     * Sends {@code Retry-After} in whole seconds (rounded up) with every answer as scripted (the {@code 200}s and the
     * {@code 303}). Defaults to none.
     *
     * @param hint the delay to advertise, not {@code null}
     * @return this script, for chaining
     * @throws IllegalArgumentException if negative
     */
    public synchronized ScriptedTask retryAfter(Duration hint) {
        long ms = Fault.requireHint(hint).toMillis();
        this.hintSeconds = (ms + 999) / 1000;
        return changed();
    }

    /**
     * Sends {@code retry-after-ms} with every answer as scripted. Defaults to none.
     *
     * @param hint the delay to advertise, not {@code null}; sent in whole milliseconds (truncated)
     * @return this script, for chaining
     * @throws IllegalArgumentException if negative
     */
    public synchronized ScriptedTask retryAfterMillis(Duration hint) {
        this.hintMillis = Fault.requireHint(hint).toMillis();
        return changed();
    }

    // ---------------------------------------------------------------- observations

    /**
     * The zone id.
     *
     * @return the zone id, as given to {@link CatalogSimulator#task(String, String)}
     */
    public String zoneId() {
        return zoneId;
    }

    /**
     * The task id.
     *
     * @return the task id, as given to {@link CatalogSimulator#task(String, String)}
     */
    public String taskId() {
        return taskId;
    }

    /**
     * The task's {@code created_at}.
     *
     * @return the creation time, to the millisecond
     */
    public synchronized Instant createdAt() {
        return createdAt;
    }

    /**
     * When the script makes the task terminal (completed or failed): creation + pending + running. A benchmark's
     * detection delay is the time a watcher saw it minus this.
     *
     * @return the instant by the simulator's clock, computed from the current script
     */
    public Instant terminalAt() {
        return plan().terminalAt;
    }

    /**
     * When the simulator first answered this task as terminal (the {@code 303}, or the {@code 200} with status
     * {@code failed}), by its clock; {@code null} if it has not yet.
     *
     * @return the instant of the first terminal answer, or {@code null}
     */
    public @Nullable Instant terminalReportedAt() {
        return terminalReportedAt.get();
    }

    /**
     * How many requests reached this task so far (see the class description for what counts).
     *
     * @return the count; {@link CatalogSimulator#clearRequests()} does not reset it
     */
    public int requestCount() {
        return requestCount.get();
    }

    /**
     * The numbers of this task's requests that arrived on a connection left to close by {@link Fault#closeOnReuse()}
     * (scripted on any task) and were closed on unanswered, in arrival order: failures no fault of this task's own
     * script explains.
     *
     * @return an unmodifiable copy, empty if none
     */
    public List<Integer> requestsClosedOnReuse() {
        return List.copyOf(closedOnReuse);
    }

    /**
     * The fault the script applies to this task's request number {@code n} (1 = the first), or {@code null} when that
     * request is answered as scripted. Random faults are a pure function of the script, so a test can read ahead
     * which requests they will hit, for example to size a retry budget that no unlucky streak exceeds.
     *
     * @param n the request's number, counted from 1
     * @return the fault, or {@code null}
     * @throws IllegalArgumentException if {@code n} is below 1
     */
    public @Nullable Fault faultFor(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, got " + n);
        }
        return plan().faultFor(n);
    }

    @Override
    public String toString() {
        return "ScriptedTask{" + zoneId + "/" + taskId + ", requests=" + requestCount.get() + "}";
    }

    // ---------------------------------------------------------------- used by the server

    int nextRequestNumber() {
        return requestCount.incrementAndGet();
    }

    void closedOnReuse(int n) {
        closedOnReuse.add(n);
    }

    void reportedTerminal(Instant now) {
        if (terminalReportedAt.get() == null) {
            terminalReportedAt.compareAndSet(null, now);
        }
    }

    Plan plan() {
        Plan p = plan;
        return p != null ? p : compile();
    }

    private synchronized Plan compile() {
        Plan p = plan;
        if (p == null) {
            p = new Plan(this);
            plan = p;
        }
        return p;
    }

    private ScriptedTask changed() {
        plan = null;
        return this;
    }

    private static Duration requireDuration(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + d);
        }
        return d.compareTo(FOREVER) > 0 ? FOREVER : d;
    }

    /** The script compiled for answering: phase boundaries in epoch millis and the bodies, encoded once. */
    static final class Plan {
        final long runningFrom;
        final long terminalFrom;
        final Instant terminalAt;
        final byte[] pendingBody;
        final byte[] runningBody;
        /** The failed body, or the completed one (for faults that answer a completed task with a 200 body). */
        final byte[] terminalBody;

        final boolean completes;
        final @Nullable String location;
        final int notFoundFor;
        private final int[] faultNumbers;
        private final Fault[] faultsByNumber;
        private final double faultProbability;
        private final long faultSeed;
        private final Fault[] faultChoices;
        final long hintSeconds;
        final long hintMillis;
        private final long keyHash;

        Plan(ScriptedTask s) {
            Instant created = s.createdAt;
            Instant runningAt = created.plus(s.pending);
            this.terminalAt = runningAt.plus(s.running);
            this.runningFrom = runningAt.toEpochMilli();
            this.terminalFrom = terminalAt.toEpochMilli();
            this.completes = s.errorMessage == null;
            this.pendingBody = body(s, "pending", created, null);
            this.runningBody = body(s, "running", runningAt, null);
            this.terminalBody = body(s, completes ? "completed" : "failed", terminalAt, s.errorMessage);
            this.location =
                    completes ? s.simulator.baseUrl() + "/zones/" + s.zoneId + "/installs/" + s.installId : null;
            this.notFoundFor = s.notFoundFor;
            this.faultNumbers = new int[s.faults.size()];
            this.faultsByNumber = new Fault[s.faults.size()];
            int i = 0;
            for (Map.Entry<Integer, Fault> e : s.faults.entrySet()) {
                faultNumbers[i] = e.getKey();
                faultsByNumber[i++] = e.getValue();
            }
            this.faultProbability = s.faultProbability;
            this.faultSeed = s.faultSeed;
            this.faultChoices = s.faultChoices;
            this.hintSeconds = s.hintSeconds;
            this.hintMillis = s.hintMillis;
            this.keyHash = s.key.hashCode();
        }

        private static byte[] body(ScriptedTask s, String status, Instant updatedAt, @Nullable String error) {
            Task task = new Task(
                    s.taskId,
                    s.createdAt,
                    s.operation,
                    status,
                    updatedAt,
                    error,
                    s.installId,
                    s.links,
                    s.packageId,
                    s.packageSlug,
                    s.packageVersion,
                    s.warnings);
            return task.toJson().getBytes(StandardCharsets.UTF_8);
        }

        /** The fault for request {@code n}, or null. */
        @Nullable
        Fault faultFor(int n) {
            if (faultNumbers.length > 0) {
                int i = Arrays.binarySearch(faultNumbers, n);
                if (i >= 0) {
                    return faultsByNumber[i];
                }
            }
            if (faultProbability > 0) {
                long h = mix(faultSeed ^ mix(keyHash + n * 0x9E3779B97F4A7C15L));
                double u = (h >>> 11) * 0x1.0p-53;
                if (u < faultProbability) {
                    return faultChoices[(int) ((mix(h) >>> 1) % faultChoices.length)];
                }
            }
            return null;
        }

        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }
    }
}
