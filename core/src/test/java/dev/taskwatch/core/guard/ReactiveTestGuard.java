package dev.taskwatch.core.guard;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import reactor.blockhound.BlockHound;

/**
 * Guards a whole test run: a blocking call on a non-blocking thread (Netty event loops, Reactor's parallel and
 * single schedulers) fails where it is made, and a buffer that Netty's {@link ResourceLeakDetector} reports as leaked
 * fails the run when the launcher session closes.
 *
 * <p>Registered through {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener}. Another
 * module gets the same guard by adding test-scoped dependencies on {@code taskwatch-core} with
 * {@code <type>test-jar</type>}, on {@code blockhound} and on {@code junit-platform-launcher}; its surefire
 * {@code argLine} must keep {@code -XX:+AllowRedefinitionToAddDeleteMethods} (BlockHound on Java 13+) and
 * {@code -Dio.netty.leakDetection.level=paranoid} (every buffer tracked).
 *
 * <p>One allowance beyond the integrations BlockHound discovers itself (Reactor, Netty, and standard output for the
 * test logger): reactor-test's {@code VirtualTimeScheduler} queue, test infrastructure that tests mixing real HTTP
 * with virtual time use from event loops. MockWebServer blocks only on its own threads, which BlockHound does not
 * watch.
 */
public final class ReactiveTestGuard implements LauncherSessionListener {

    private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();
    private static boolean installed;

    /** Instantiated by the JUnit Platform through the service loader. */
    public ReactiveTestGuard() {}

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        install();
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (Boolean.getBoolean("taskwatch.guard.skipLeakCheck")) {
            // Mutation testing opens a session per test: three collections each would multiply its run time, and it
            // asks only whether tests pass. Set by the pit profile, never by a normal build.
            return;
        }
        provokeLeakReports();
        List<String> leaks = takeLeaks(leak -> true);
        if (!leaks.isEmpty()) {
            // Thrown from the session's close, this fails the surefire fork and so the build.
            throw new AssertionError(leaks.size() + " Netty resource leak(s) reported during the test run:\n"
                    + String.join("\n\n", leaks));
        }
    }

    /** Installs the guard once per JVM. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        // Must run before Netty creates its first detector: ByteBuf's is made when AbstractByteBuf initialises.
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
        // install(...) also loads the integrations found on the class path (Reactor's, Netty's), which mark their
        // threads as non-blocking. reactor-test's virtual clock keeps its timers in a PriorityBlockingQueue; a test
        // that drives real HTTP on virtual time schedules and cancels them from event loops: that lock is the
        // test's, not ours.
        BlockHound.install(builder -> builder.allowBlockingCallsInside(
                        "reactor.test.scheduler.VirtualTimeScheduler$VirtualTimeWorker", "doScheduleAtTime")
                .allowBlockingCallsInside("reactor.test.scheduler.VirtualTimeScheduler$TimedRunnable", "dispose"));
    }

    /**
     * Collects unreachable buffers and lets Netty report them. Netty finds leaks only when it next tracks a
     * resource, after the garbage collector has queued the lost ones, hence the allocation after each collection.
     */
    static void provokeLeakReports() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50); // gives the reference handler thread time to queue what was collected
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            ByteBuf probe = ByteBufAllocator.DEFAULT.directBuffer(1);
            probe.release();
        }
    }

    /**
     * Lets Netty report what has been lost so far and removes and returns every report: for a test that must see
     * its own leaks (a race that leaks once in many rounds) rather than leave them to the end of the run.
     */
    public static List<String> collectLeaks() {
        provokeLeakReports();
        return takeLeaks(leak -> true);
    }

    /** Removes and returns the leak reports recorded so far that match {@code which}. */
    static List<String> takeLeaks(Predicate<String> which) {
        List<String> taken = new ArrayList<>();
        LEAKS.removeIf(leak -> which.test(leak) && taken.add(leak));
        return taken;
    }

    /** Netty's own detectors, each also recording what it reports (after logging it as usual). */
    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation") // still the one abstract method a factory must implement in Netty 4.2
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(
                Class<T> resource, int samplingInterval, long maxActive) {
            ResourceLeakDetector<T> detector = new ResourceLeakDetector<>(resource, samplingInterval);
            detector.setLeakListener((type, records) -> LEAKS.add("LEAK of " + type + ":" + records));
            return detector;
        }
    }
}
