package dev.taskwatch.core.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Proof that BlockHound is watching: a module's "nothing blocks" tests can only fail if it is. The test guard in this
 * test-jar installs it for every test JVM; a module calls this from one test of its own, so a guard that stopped
 * loading (a missing service file, a changed dependency) fails that module's build instead of silently passing it.
 *
 * <pre>{@code
 * @Test
 * void blockHoundIsWatching() {
 *     BlockHoundCheck.assertActive();
 * }
 * }</pre>
 */
public final class BlockHoundCheck {

    private BlockHoundCheck() {}

    /**
     * Sleeps on a {@link Schedulers#parallel()} thread and expects BlockHound's error.
     *
     * @throws AssertionError if the sleep is not reported as a blocking call
     */
    public static void assertActive() {
        Mono<Void> sleepOnParallel = Mono.<Void>fromRunnable(() -> {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                })
                .subscribeOn(Schedulers.parallel());

        assertThatThrownBy(() -> sleepOnParallel.block(Duration.ofSeconds(10)))
                .as("BlockHound must report a sleep on a parallel thread")
                .hasCauseInstanceOf(BlockingOperationError.class)
                .hasMessageContaining("java.lang.Thread.sleep");
    }
}
