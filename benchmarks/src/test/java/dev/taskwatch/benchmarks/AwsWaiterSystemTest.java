package dev.taskwatch.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AwsWaiterSystemTest {

    @Test
    void theRealWaiterWaitsTheComparisonScheduleBetweenPolls() {
        VirtualScheduledExecutor executor = new VirtualScheduledExecutor();
        List<Long> polledAt = new ArrayList<>();
        AwsWaiterSystem.waiter(executor, AwsWaiterSystem.backoff(Schedule.parse("200ms,2,2s")))
                .runAsync(() -> {
                    polledAt.add(executor.nowMillis());
                    TaskStatus status = polledAt.size() < 8 ? TaskStatus.RUNNING : TaskStatus.COMPLETED;
                    return CompletableFuture.completedFuture(Task.of("t1", status, null));
                });

        executor.runAll(TimeUnit.MINUTES.toNanos(1));

        // The waiter asks for computeDelay(attempt + 2): a strategy indexed from 1 would start at 800 ms.
        assertThat(gaps(polledAt)).containsExactly(200L, 400L, 800L, 1600L, 2000L, 2000L, 2000L);
    }

    private static List<Long> gaps(List<Long> times) {
        List<Long> out = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            out.add(times.get(i) - times.get(i - 1));
        }
        return out;
    }
}
