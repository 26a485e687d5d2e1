package dev.taskwatch.reactor;

import dev.taskwatch.core.CatalogException;
import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.Task;
import java.net.URI;
import java.time.Duration;

/**
 * For {@link TlsWatchTest}: watches one task at each base URL given and prints one {@code RESULT} line per URL. Run
 * in a child JVM whose default trust store is the test CA, which the public API cannot configure in-process.
 */
final class TlsScenarios {

    private TlsScenarios() {}

    public static void main(String[] args) {
        WatchOptions fast = WatchOptions.defaults()
                .initialDelay(Duration.ofMillis(5))
                .maxDelay(Duration.ofMillis(10))
                .jitter(0)
                .maxConsecutiveErrors(5);
        for (String url : args) {
            try (CatalogTasksClient client = CatalogTasksClient.builder()
                    .baseUrl(URI.create(url))
                    .credentials(Credentials.bearer(TlsWatchTest.TOKEN))
                    .build()) {
                Task task = TaskWatcher.create(client, fast)
                        .awaitTerminal("zone-1", "task-1")
                        .block(Duration.ofSeconds(20));
                System.out.println("RESULT " + url + " ok " + task.statusValue());
            } catch (WatchException e) {
                System.out.println("RESULT " + url + " error transient=" + e.isTransient() + " polls=" + e.polls()
                        + " cause="
                        + (e.getCause() == null ? null : e.getCause().getClass().getSimpleName())
                        + " message=" + e.getMessage());
            } catch (CatalogException | IllegalStateException e) {
                System.out.println("RESULT " + url + " unexpected " + e);
            }
        }
        System.out.flush();
        System.exit(0);
    }
}
