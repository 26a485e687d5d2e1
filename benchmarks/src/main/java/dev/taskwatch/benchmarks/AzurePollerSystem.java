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
import dev.taskwatch.core.TaskJson;
import dev.taskwatch.core.TaskStatus;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * azure-core's {@link PollerFlux}, set up as an Azure SDK client sets up a long-running operation: requests go
 * through an {@link HttpPipeline} (user agent, request id, date, retry and logging policies, as the generated clients
 * build it) on azure-core-http-netty's default client, and the poller polls every second (the interval the Azure SDKs
 * default to; {@code PollerFlux} itself has no default).
 *
 * <p>Adaptation: the Keycard API is not an Azure long-running operation, so the activation and poll operations are
 * one function: {@code GET} the task through the pipeline and map the answer to a {@link PollResponse}. A {@code 303}
 * is read as {@link LongRunningOperationStatus#SUCCESSFULLY_COMPLETED} (the pipeline has no {@code RedirectPolicy},
 * so the redirect is never followed and azure-core-http-netty does not follow it either); a {@code 200} maps
 * {@code pending}/{@code running} to {@code IN_PROGRESS}, {@code completed} and {@code failed} to their terminal
 * statuses. Bodies are decoded with taskwatch's own {@link TaskJson}, so every system pays the same decoding.
 */
final class AzurePollerSystem implements WatchSystem {

    static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    private final URI baseUrl;
    private final HttpPipeline pipeline;

    AzurePollerSystem(URI baseUrl) {
        this.baseUrl = baseUrl;
        HttpClient http = new NettyAsyncHttpClientBuilder().build();
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
        Function<PollingContext<Task>, Mono<PollResponse<Task>>> get =
                context -> pipeline.send(new HttpRequest(HttpMethod.GET, url))
                        .flatMap(response -> response.getBodyAsByteArray()
                                .defaultIfEmpty(new byte[0])
                                .map(body -> toPollResponse(taskId, response, body)));
        PollerFlux<Task, Task> poller = PollerFlux.create(
                POLL_INTERVAL,
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

    static PollResponse<Task> toPollResponse(String taskId, HttpResponse response, byte[] body) {
        int status = response.getStatusCode();
        Duration retryAfter = retryAfter(response.getHeaderValue("Retry-After"));
        if (status == 303) {
            String location = response.getHeaderValue("Location");
            Task done = Task.of(taskId, TaskStatus.COMPLETED, lastSegment(location));
            return new PollResponse<>(LongRunningOperationStatus.SUCCESSFULLY_COMPLETED, done, retryAfter);
        }
        if (status != 200) {
            throw new IllegalStateException("GET task " + taskId + " → " + status);
        }
        Task task = TaskJson.decode(new String(body, StandardCharsets.UTF_8));
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
        // azure-core-http-netty's default client shares Reactor Netty's global resources; nothing to release here.
    }
}
