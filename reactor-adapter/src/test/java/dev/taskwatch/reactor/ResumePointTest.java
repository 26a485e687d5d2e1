package dev.taskwatch.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import java.time.Instant;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Resume tokens: exact round trips, compact and URL-safe, and a clear error for anything that is not one. */
class ResumePointTest {

    @Provide
    Arbitrary<ResumePoint> points() {
        Arbitrary<String> ids = Arbitraries.strings()
                .withChars("ABCxyz0189._~-")
                .ofMinLength(1)
                .ofMaxLength(128)
                .filter(s -> !s.equals(".") && !s.equals(".."));
        Arbitrary<String> statuses = Arbitraries.oneOf(
                Arbitraries.of("pending", "running", "completed", "failed"),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(256).filter(ResumePointTest::noControl));
        Arbitrary<Instant> deadlines = Arbitraries.longs()
                .between(-1_000_000_000_000_000L, 1_000_000_000_000_000L)
                .map(Instant::ofEpochMilli)
                .injectNull(0.2);
        return Combinators.combine(ids, ids, statuses.injectNull(0.3), deadlines)
                .as((zone, task, status, deadline) -> {
                    ResumePoint start = ResumePoint.start(zone, task, deadline);
                    return status == null ? start : start.after(Tasks.bare(task, status));
                });
    }

    @Property
    void everyTokenParsesBackToAnEqualPoint(@ForAll("points") ResumePoint point) {
        String token = point.toToken();
        assertThat(ResumePoint.fromToken(token)).isEqualTo(point);
        assertThat(token).startsWith("tw1.").matches("tw1\\.[A-Za-z0-9_-]+");
    }

    @Property
    void anyEditedCharacterIsRefusedWithAClearError(
            @ForAll("points") ResumePoint point, @ForAll @IntRange(min = 4, max = 10_000) int at, @ForAll char with) {
        String token = point.toToken();
        int i = at % token.length();
        if (i < 4 || token.charAt(i) == with) {
            return;
        }
        String edited = token.substring(0, i) + with + token.substring(i + 1);
        assertThatThrownBy(() -> ResumePoint.fromToken(edited))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid resume token");
    }

    @Test
    void aTypicalTokenIsCompact() {
        ResumePoint point = ResumePoint.start("zone-1", "0f8e7d6c-5b4a-4321-9876-abcdef012345", Instant.now())
                .after(Task.of("0f8e7d6c-5b4a-4321-9876-abcdef012345", TaskStatus.RUNNING, null));
        assertThat(point.toToken()).hasSizeLessThan(100);
    }

    @Test
    void theDeadlineIsKeptToTheMillisecond() {
        ResumePoint point = ResumePoint.start("z", "t", Instant.parse("2026-12-01T10:00:00.123456789Z"));
        assertThat(point.deadline()).isEqualTo(Instant.parse("2026-12-01T10:00:00.123Z"));
        assertThat(ResumePoint.fromToken(point.toToken())).isEqualTo(point);
    }

    @Test
    void garbageIsRefusedWithAClearError() {
        for (String garbage : new String[] {"", "hello", "tw1.", "tw1.!!!", "tw1.AAAA", "tw.abc", "twx.abc", "tw1"}) {
            assertThatThrownBy(() -> ResumePoint.fromToken(garbage))
                    .as(garbage)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("invalid resume token");
        }
        assertThatThrownBy(() -> ResumePoint.fromToken("tw1." + "A".repeat(5000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than 2048");
    }

    @Test
    void aTruncatedTokenIsRefused() {
        String token = ResumePoint.start("zone-1", "task-1", Instant.now()).toToken();
        assertThatThrownBy(() -> ResumePoint.fromToken(token.substring(0, token.length() - 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checksum");
    }

    @Test
    void aWellFormedTokenWithInvalidContentIsRefused() {
        // A valid checksum over content this version never writes: an id with a slash.
        String forged = ResumePoint.start("zone-1", "task-1", null).toToken();
        byte[] bytes = Base64.getUrlDecoder().decode(forged.substring(4));
        bytes[3] = '/'; // inside "zone-1"
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        int c = (int) crc.getValue();
        bytes[bytes.length - 4] = (byte) (c >>> 24);
        bytes[bytes.length - 3] = (byte) (c >>> 16);
        bytes[bytes.length - 2] = (byte) (c >>> 8);
        bytes[bytes.length - 1] = (byte) c;
        String token = "tw1." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        assertThatThrownBy(() -> ResumePoint.fromToken(token))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid resume token")
                .hasMessageContaining("zoneId");
    }

    @Test
    void anUnknownVersionSaysSo() {
        String token = ResumePoint.start("zone-1", "task-1", null).toToken().replaceFirst("tw1", "tw7");
        assertThatThrownBy(() -> ResumePoint.fromToken(token))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported resume token version 7");
    }

    @Test
    void aTaskOfAnotherIdIsNotThisPointsTask() {
        ResumePoint point = ResumePoint.start("zone-1", "task-1", null);
        assertThatThrownBy(() -> point.after(Task.of("task-2", TaskStatus.RUNNING, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("task-2");
    }

    @Test
    void invalidIdsAreRefusedWhenThePointIsMade() {
        assertThatThrownBy(() -> ResumePoint.start("zone/1", "task-1", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zoneId");
        assertThatThrownBy(() -> ResumePoint.start("zone-1", "..", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("taskId");
    }

    @Test
    void skipsWhatIsAtOrBeforeTheStatusSeen() {
        ResumePoint running = ResumePoint.start("z", "t", null).after(Task.of("t", TaskStatus.RUNNING, null));
        assertThat(running.skips(Task.of("t", TaskStatus.PENDING, null))).isTrue();
        assertThat(running.skips(Task.of("t", TaskStatus.RUNNING, null))).isTrue();
        assertThat(running.skips(Task.of("t", TaskStatus.COMPLETED, null))).isFalse();
        assertThat(running.skips(Tasks.bare("t", "verifying")))
                .as("another status of the same rank is a later one")
                .isFalse();
        assertThat(ResumePoint.start("z", "t", null).skips(Task.of("t", TaskStatus.PENDING, null)))
                .isFalse();
    }

    @Test
    void toStringShowsThePointAndEscapesTheStatus() {
        ResumePoint point = ResumePoint.start("z", "t", Instant.parse("2026-12-01T10:00:00Z"))
                .after(Tasks.bare("t", "odd\u202Evalue"));
        assertThat(point.toString())
                .contains("zone=z", "task=t", "2026-12-01T10:00:00Z")
                .doesNotContain("\u202E");
    }

    private static boolean noControl(String s) {
        return s.chars().noneMatch(Character::isISOControl);
    }
}
