package dev.taskwatch.benchmarks;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.AddDatePolicy;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.http.policy.HttpLoggingPolicy;
import com.azure.core.http.policy.RequestIdPolicy;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.policy.UserAgentPolicy;
import com.azure.core.util.polling.LongRunningOperationStatus;
import com.azure.core.util.polling.PollResponse;
import com.azure.core.util.polling.PollerFlux;
import com.azure.core.util.polling.PollingContext;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;

/**
 * azure-core's {@link PollerFlux}, set up as an Azure SDK client sets up a long-running operation: requests go
 * through an {@link HttpPipeline} (user agent, request id, date, retry and logging policies, as the generated clients
 * build it) on azure-core-http-netty's client, given a 64-connection pool like every other system (its default is
 * Reactor Netty's global pool of 16 with a short acquire queue, which the first polls of 1,000 watches overflow, and
 * which this system could not close after warm-up).
 *
 * <p>The schedule: {@code PollerFlux} has only a fixed poll interval, but it waits a {@link PollResponse}'s
 * {@code retryAfter} instead when one is set. So each answer of a watch carries the comparison's next delay as its
 * {@code retryAfter} (a server {@code Retry-After} would win, as in the generated clients), and the interval is only
 * the fallback.
 *
 * <p>Adaptation: the Keycard API is not an Azure long-running operation, so the activation and poll operations are
 * one function: {@code GET} the task through the pipeline and map the answer to a {@link PollResponse}. A {@code 303}
 * is read as {@link LongRunningOperationStatus#SUCCESSFULLY_COMPLETED} (the pipeline has no {@code RedirectPolicy},
 * so the redirect is never followed and azure-core-http-netty does not follow it either); a {@code 200} maps
 * {@code pending}/{@code running} to {@code IN_PROGRESS}, {@code completed} and {@code failed} to their terminal
 * statuses. Bodies are decoded with taskwatch's own {@link TaskJson}, so every system pays the same decoding.
 */
final class AzurePollerSystem implements WatchSystem {

    /** The interval Azure SDK clients commonly pass ({@code PollerFlux} has no default); the efficiency study's. */
    static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    private final URI baseUrl;
    private final Schedule schedule;
    private final ConnectionProvider provider;
    private final HttpPipeline pipeline;

    AzurePollerSystem(URI baseUrl, Schedule schedule) {
        this.baseUrl = baseUrl;
        this.schedule = schedule;
        this.provider = WatchSystem.pool("azure");
        HttpClient http =
                new NettyAsyncHttpClientBuilder().connectionProvider(provider).build();
        this.pipeline = new HttpPipelineBuilder()
                .httpClient(http)
                .policies(
                        new UserAgentPolicy("taskwatch-benchmarks-azure"),
                        new RequestIdPolicy("X-Client-Request-ID"),
                        new AddDatePolicy(),
                        new RetryPolicy(),
                        new HttpLoggingPolicy(new HttpLogOptions()))
                .build();
    }

    @Override
    public void watch(String zoneId, String taskId, Listener listener) {
        String url = WatchSystem.taskUrl(baseUrl, zoneId, taskId);
        AtomicInteger answers = new AtomicInteger(); // the n of the next delay
        Function<PollingContext<Task>, Mono<PollResponse<Task>>> get =
                context -> pipeline.send(new HttpRequest(HttpMethod.GET, url))
                        .flatMap(response -> response.getBodyAsByteArray()
                                .defaultIfEmpty(new byte[0])
                                .map(body -> toPollResponse(
                                        taskId, response, body, schedule.delay(answers.getAndIncrement()))));
        PollerFlux<Task, Task> poller = PollerFlux.create(
                schedule.initial(),
                get,
                get,
                (context, last) -> Mono.error(new UnsupportedOperationException("catalog tasks cannot be cancelled")),
                context -> Mono.justOrEmpty(context.getLatestResponse().getValue()));
        WatchSystem.report(
                poller,
                r -> r.getStatus() == LongRunningOperationStatus.SUCCESSFULLY_COMPLETED,
                r -> r.getStatus().isComplete(),
                listener);
    }

    /** The answer as a {@link PollResponse} whose {@code retryAfter} is the server's hint, else {@code next}. */
    static PollResponse<Task> toPollResponse(String taskId, HttpResponse response, byte[] body, Duration next) {
        int status = response.getStatusCode();
        Duration hint = retryAfter(response.getHeaderValue("Retry-After"));
        Duration retryAfter = hint != null ? hint : next;
        if (status == 303) {
            String location = response.getHeaderValue("Location");
            Task done = Task.of(taskId, TaskStatus.COMPLETED, lastSegment(location));
            return new PollResponse<>(LongRunningOperationStatus.SUCCESSFULLY_COMPLETED, done, retryAfter);
        }
        if (status != 200) {
            throw new IllegalStateException("GET task " + taskId + " → " + status);
        }
        Task task = Task.fromJson(new String(body, StandardCharsets.UTF_8));
        LongRunningOperationStatus lro = switch (task.status()) {
            case COMPLETED -> LongRunningOperationStatus.SUCCESSFULLY_COMPLETED;
            case FAILED -> LongRunningOperationStatus.FAILED;
            default -> LongRunningOperationStatus.IN_PROGRESS;
        };
        return new PollResponse<>(lro, task, retryAfter);
    }

    private static @Nullable Duration retryAfter(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static @Nullable String lastSegment(@Nullable String location) {
        if (location == null) {
            return null;
        }
        int slash = location.lastIndexOf('/');
        return slash < 0 ? location : location.substring(slash + 1);
    }

    @Override
    public void close() {
        provider.dispose();
    }
}
