package dev.taskwatch.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.jspecify.annotations.Nullable;

/**
 * What a message must be before it reaches a log, and what it must never contain: the assertions every module's
 * tests make about exceptions, {@code toString()} and log lines (DESIGN.md: secrets never in toString, logs,
 * exceptions or CLI output).
 *
 * <pre>{@code
 * Throwable e = catchThrowable(() -> client.retrieve("zone-1", "task-1").block());
 * LogSafety.assertNoSecret(e, "kc-SECRET-key");
 * LogSafety.assertSafeForALog(e.getMessage());
 * }</pre>
 */
public final class LogSafety {

    private LogSafety() {}

    /**
     * Asserts that {@code message} holds no character a log viewer would treat as a line break, hide or reorder
     * (control, format, line or paragraph separator, lone surrogate): text from a server cannot forge a log line.
     */
    public static void assertSafeForALog(@Nullable String message) {
        assertThat(message).isNotNull();
        message.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            assertThat(type == Character.CONTROL
                            || type == Character.FORMAT
                            || type == Character.LINE_SEPARATOR
                            || type == Character.PARAGRAPH_SEPARATOR
                            || type == Character.SURROGATE)
                    .as("U+%04X in %s", cp, message)
                    .isFalse();
        });
    }

    /**
     * Everything a user could print of {@code failure}: the {@code toString()} (class and message) of it, each of its
     * causes and each suppressed exception along the way, one per line.
     *
     * @throws AssertionError if {@code failure} is null: a scan of nothing would pass whatever the code did
     */
    public static String everyMessage(@Nullable Throwable failure) {
        assertThat(failure).as("the failure to scan").isNotNull();
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t).append('\n');
            for (Throwable s : t.getSuppressed()) {
                all.append(s).append('\n');
            }
        }
        return all.toString();
    }

    /** Asserts that none of {@code secrets} appears in {@link #everyMessage(Throwable) anything} of {@code failure}. */
    public static void assertNoSecret(@Nullable Throwable failure, String... secrets) {
        String all = everyMessage(failure);
        for (String secret : secrets) {
            assertThat(all).as("a secret in %s", failure).doesNotContain(secret);
        }
    }
}
