package dev.taskwatch.core.guard;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a class's slf4j-simple logger prints at DEBUG, for tests of log lines. In core's test-jar. */
public final class LogCapture {

    private LogCapture() {}

    /**
     * Turns the slf4j-simple logger of {@code owner} to DEBUG and captures what it prints (slf4j-simple writes to
     * standard error) while {@code body} runs; then restores both.
     */
    public static String debugOutput(Class<?> owner, Runnable body) throws ReflectiveOperationException {
        Logger logger = LoggerFactory.getLogger(owner);
        Field level = logger.getClass().getDeclaredField("currentLogLevel");
        level.setAccessible(true);
        Field debug = logger.getClass().getDeclaredField("LOG_LEVEL_DEBUG");
        debug.setAccessible(true);
        int previous = level.getInt(logger);
        PrintStream err = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        level.setInt(logger, debug.getInt(null));
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(err);
            level.setInt(logger, previous);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
