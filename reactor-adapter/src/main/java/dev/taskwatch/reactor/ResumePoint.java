package dev.taskwatch.reactor;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.core.internal.SafeText;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Objects;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * Where a watch picks up: a task, the last status seen of it (if any) and an absolute deadline (if any). A watch
 * started from it with {@link TaskWatcher#watch(ResumePoint)} emits nothing at or before that status and ends at that
 * deadline, so a job that is restarted, or a worker that crashed half-way through a wait, goes on where it was.
 *
 * <pre>{@code
 * ResumePoint start = ResumePoint.start("zone-1", "task-1", Instant.parse("2026-12-01T10:00:00Z"));
 * watcher.watch(start)
 *     .doOnNext(task -> store.save(start.after(task).toToken()))   // the token of this transition
 *     .blockLast();
 * // after a restart:
 * watcher.watch(ResumePoint.fromToken(store.load()));             // later transitions only, same deadline
 * }</pre>
 *
 * <p>A point serialises to a <em>resume token</em>: a compact, URL-safe string ({@code tw1.} then unpadded base64url)
 * holding the zone id, the task id, the raw status and the deadline to the millisecond, and a CRC-32 of those. It
 * holds no secret (no credential, no base URL) and proves nothing about who made it: the checksum catches a token
 * that was truncated, mangled or edited by hand, not a forger, who could as well call the API with other ids. Every
 * token a point makes parses back to an equal point.
 *
 * <p>Immutable and thread-safe. The deadline is kept to the millisecond (truncated), so that a point and its token
 * round-trip exactly.
 */
public final class ResumePoint {

    private static final String PREFIX = "tw";
    private static final int VERSION = 1;
    private static final int MAX_TOKEN_CHARS = 2048;
    private static final int MAX_STATUS_CHARS = 256;
    private static final int HAS_STATUS = 1;
    private static final int HAS_DEADLINE = 2;

    private final String zoneId;
    private final String taskId;
    private final @Nullable String status;
    private final @Nullable Instant deadline;

    private ResumePoint(String zoneId, String taskId, @Nullable String status, @Nullable Instant deadline) {
        this.zoneId = CatalogTasksClient.requireValidId(zoneId, "zoneId");
        this.taskId = CatalogTasksClient.requireValidId(taskId, "taskId");
        this.status = status == null ? null : requireStatus(status);
        this.deadline = deadline == null ? null : deadline.truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * A point before anything was seen: the watch emits every transition, and ends at {@code deadline}.
     *
     * @param zoneId the zone id: 1–128 characters of {@code [A-Za-z0-9._~-]}, not {@code .} or {@code ..}
     * @param taskId the task id, same rules
     * @param deadline when the watch ends with {@link WatchTimeoutException}, or {@code null} for the options'
     *     {@link WatchOptions#timeout(java.time.Duration) timeout}, counted from each subscription
     * @return a point with no status seen, its deadline truncated to the millisecond
     * @throws IllegalArgumentException if an id is not 1–128 characters of {@code [A-Za-z0-9._~-]} or is {@code .}
     *     or {@code ..}
     */
    public static ResumePoint start(String zoneId, String taskId, @Nullable Instant deadline) {
        return new ResumePoint(zoneId, taskId, null, deadline);
    }

    /**
     * This point moved on to {@code seen}: same task and deadline, {@code seen}'s status. Call it with each
     * transition a watch emits to get the point (and the {@linkplain #toToken() token}) to resume from.
     *
     * @param seen a task the watch emitted, not {@code null}; its raw {@link Task#statusValue()} is kept
     * @return a new point; this one is unchanged
     * @throws IllegalArgumentException if {@code seen} is another task, or its status is longer than 256 characters
     *     or holds control characters
     */
    public ResumePoint after(Task seen) {
        Objects.requireNonNull(seen, "seen");
        if (!seen.id().equals(taskId)) {
            throw new IllegalArgumentException("task " + SafeText.escape(seen.id(), 128)
                    + " is not the task of this resume point (" + taskId + ")");
        }
        return new ResumePoint(zoneId, taskId, seen.statusValue(), deadline);
    }

    /**
     * Parses a token made by {@link #toToken()}.
     *
     * @param token the token, not {@code null}; at most 2048 characters
     * @return a point equal to the one that made the token
     * @throws IllegalArgumentException if the token is not one (garbage, truncated, edited: the checksum or the
     *     content does not hold), or was made by a version of taskwatch whose token format this one does not read;
     *     the message says which, and quotes at most the token's first characters
     */
    public static ResumePoint fromToken(String token) {
        Objects.requireNonNull(token, "token");
        if (token.length() > MAX_TOKEN_CHARS) {
            throw invalid(token, "longer than " + MAX_TOKEN_CHARS + " characters");
        }
        int dot = token.indexOf('.');
        if (dot < 0 || !token.startsWith(PREFIX)) {
            throw invalid(token, "it does not start with \"" + PREFIX + VERSION + ".\"");
        }
        String version = token.substring(PREFIX.length(), dot);
        if (!version.equals(String.valueOf(VERSION))) {
            if (version.matches("[0-9]{1,9}")) {
                throw new IllegalArgumentException("unsupported resume token version " + version + " (this taskwatch"
                        + " reads version " + VERSION + "): resume with the taskwatch version that made it");
            }
            throw invalid(token, "it does not start with \"" + PREFIX + VERSION + ".\"");
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw invalid(token, "not base64url after the version");
        }
        if (bytes.length < 5) {
            throw invalid(token, "too short");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        int expected = (int) crc.getValue();
        int actual = ((bytes[bytes.length - 4] & 0xff) << 24)
                | ((bytes[bytes.length - 3] & 0xff) << 16)
                | ((bytes[bytes.length - 2] & 0xff) << 8)
                | (bytes[bytes.length - 1] & 0xff);
        if (expected != actual) {
            throw invalid(token, "its checksum does not match (truncated or edited)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 4))) {
            int flags = in.readUnsignedByte();
            if ((flags & ~(HAS_STATUS | HAS_DEADLINE)) != 0) {
                throw invalid(token, "unknown flags " + flags);
            }
            String zone = in.readUTF();
            String task = in.readUTF();
            String status = (flags & HAS_STATUS) != 0 ? in.readUTF() : null;
            Instant deadline = (flags & HAS_DEADLINE) != 0 ? Instant.ofEpochMilli(in.readLong()) : null;
            if (in.available() != 0) {
                throw invalid(token, "trailing bytes");
            }
            ResumePoint point = new ResumePoint(zone, task, status, deadline);
            if (!point.toToken().equals(token)) {
                // Base64 leaves spare bits in the last character: two spellings of one content are one too many.
                throw invalid(token, "not in canonical form");
            }
            return point;
        } catch (IOException | DateTimeException e) {
            throw invalid(token, "its content is malformed");
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("invalid resume token")) {
                throw e;
            }
            throw invalid(token, e.getMessage());
        }
    }

    /**
     * This point as a resume token: {@code tw1.} and unpadded base64url, URL- and shell-safe, no secrets.
     *
     * @return the token, which {@link #fromToken(String)} parses back to an equal point
     */
    public String toToken() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte((status != null ? HAS_STATUS : 0) | (deadline != null ? HAS_DEADLINE : 0));
            out.writeUTF(zoneId);
            out.writeUTF(taskId);
            if (status != null) {
                out.writeUTF(status);
            }
            if (deadline != null) {
                out.writeLong(deadline.toEpochMilli());
            }
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return PREFIX + VERSION + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
    }

    /**
     * The zone of the task.
     *
     * @return the zone id, already checked
     */
    public String zoneId() {
        return zoneId;
    }

    /**
     * The task.
     *
     * @return the task id, already checked
     */
    public String taskId() {
        return taskId;
    }

    /**
     * The raw status last seen ({@link Task#statusValue()}), or {@code null} if nothing was seen.
     *
     * @return the status as on the wire, so a value this version does not know is kept, or {@code null}
     */
    public @Nullable String status() {
        return status;
    }

    /**
     * When the watch ends, to the millisecond; {@code null} for the options' timeout.
     *
     * @return the absolute deadline, or {@code null}
     */
    public @Nullable Instant deadline() {
        return deadline;
    }

    /**
     * Whether a watch resumed here skips {@code task}: its status ranks below the one seen, or is that one. A status
     * of the same rank but another raw value (a status this version does not know, beside {@code running}) is
     * emitted, as the watch emits each distinct value of that rank once.
     */
    boolean skips(Task task) {
        String seen = status;
        if (seen == null) {
            return false;
        }
        return task.status().rank() < TaskStatus.fromWire(seen).rank()
                || task.statusValue().equals(seen);
    }

    /** {@link #deadline()} in nanoseconds of the epoch, saturated to a {@code long}. */
    long deadlineEpochNanos() {
        Instant d = Objects.requireNonNull(deadline, "deadline");
        try {
            return Math.addExact(Math.multiplyExact(d.getEpochSecond(), 1_000_000_000L), d.getNano());
        } catch (ArithmeticException e) {
            return d.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResumePoint p
                && zoneId.equals(p.zoneId)
                && taskId.equals(p.taskId)
                && Objects.equals(status, p.status)
                && Objects.equals(deadline, p.deadline);
    }

    @Override
    public int hashCode() {
        return Objects.hash(zoneId, taskId, status, deadline);
    }

    @Override
    public String toString() {
        return "ResumePoint{zone=" + zoneId + ", task=" + taskId + ", status="
                + (status == null ? "none" : Progress.shown(status)) + ", deadline="
                + (deadline == null ? "none" : deadline) + "}";
    }

    private static String requireStatus(String status) {
        if (status.isEmpty() || status.length() > MAX_STATUS_CHARS) {
            throw new IllegalArgumentException(
                    "status must be 1–" + MAX_STATUS_CHARS + " characters, got " + status.length());
        }
        for (int i = 0; i < status.length(); i++) {
            if (Character.isISOControl(status.charAt(i))) {
                throw new IllegalArgumentException(
                        "status must not hold control characters: " + SafeText.escape(status, 64));
            }
        }
        return status;
    }

    private static IllegalArgumentException invalid(String token, @Nullable String why) {
        return new IllegalArgumentException("invalid resume token \"" + SafeText.escape(token, 24) + "\": " + why);
    }
}
