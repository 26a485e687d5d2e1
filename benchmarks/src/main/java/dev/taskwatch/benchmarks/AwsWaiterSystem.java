package dev.taskwatch.benchmarks;

import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskJson;
import dev.taskwatch.core.TaskStatus;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.waiters.AsyncWaiter;
import software.amazon.awssdk.core.waiters.WaiterAcceptor;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;
import software.amazon.awssdk.http.async.SdkHttpContentPublisher;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * The AWS SDK v2 {@link AsyncWaiter}, polling through the SDK's own Netty async HTTP client
 * ({@code netty-nio-client}'s {@link SdkAsyncHttpClient}).
 *
 * <p>Configuration, as a generated AWS waiter is configured but with an exponential schedule: acceptors "success on
 * completed", "error on failed", "retry on anything else", and on transient exceptions; backoff
 * {@link BackoffStrategy#exponentialDelayHalfJitter} from 1 s to 10 s (the same bounds as taskwatch's defaults; the
 * generic waiter default is a fixed 5 s, covered in the request-efficiency study); attempts and wait effectively unbounded
 * (every system here waits until the task ends); a 5-thread scheduled executor, the size the SDK gives its async service clients.
 *
 * <p>Adaptation: there is no service model for Keycard, so the poll function builds the {@code GET} itself and hands
 * it to the HTTP client, which never follows redirects: a {@code 303} is read as completed. Bodies are decoded with
 * taskwatch's {@link TaskJson}, so every system pays the same decoding.
 */
final class AwsWaiterSystem implements WatchSystem {

    static final BackoffStrategy BACKOFF =
            BackoffStrategy.exponentialDelayHalfJitter(Duration.ofSeconds(1), Duration.ofSeconds(10));

    private final URI baseUrl;
    private final SdkAsyncHttpClient http;
    private final ScheduledExecutorService scheduler;
    private final AsyncWaiter<Task> waiter;

    AwsWaiterSystem(URI baseUrl) {
        this.baseUrl = baseUrl;
        this.http = NettyNioAsyncHttpClient.builder()
                .maxConcurrency(64)
                .maxPendingConnectionAcquires(1_000_000)
                .connectionAcquisitionTimeout(Duration.ofSeconds(60))
                .build();
        this.scheduler = Executors.newScheduledThreadPool(5, daemonThreads("aws-waiter-"));
        this.waiter = waiter(scheduler, BACKOFF);
    }

    /** The waiter; a {@code null} backoff keeps sdk-core's default (fixed 5 s without jitter). */
    static AsyncWaiter<Task> waiter(ScheduledExecutorService scheduler, @Nullable BackoffStrategy backoff) {
        return AsyncWaiter.builder(Task.class)
                .acceptors(List.of(
                        WaiterAcceptor.successOnResponseAcceptor(t -> t.status() == TaskStatus.COMPLETED),
                        WaiterAcceptor.errorOnResponseAcceptor(t -> t.status() == TaskStatus.FAILED, "task failed"),
                        WaiterAcceptor.retryOnResponseAcceptor(t -> true),
                        WaiterAcceptor.retryOnExceptionAcceptor(AwsWaiterSystem::isTransient)))
                .overrideConfiguration(c -> {
                    c.maxAttempts(Integer.MAX_VALUE).waitTimeout(Duration.ofHours(12));
                    if (backoff != null) {
                        c.backoffStrategyV2(backoff);
                    }
                })
                .scheduledExecutorService(scheduler)
                .build();
    }

    @Override
    public void watch(String zoneId, String taskId, Listener listener) {
        URI uri = URI.create(WatchSystem.taskUrl(baseUrl, zoneId, taskId));
        waiter.runAsync(() -> get(uri, taskId)).whenComplete((response, error) -> {
            if (error != null) {
                listener.failed(error);
            } else if (response.matched().response().isPresent()) {
                listener.completed(Instant.now());
            } else {
                listener.failed(response.matched().exception().orElseThrow());
            }
        });
    }

    private CompletableFuture<Task> get(URI uri, String taskId) {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(uri)
                .putHeader("Accept", "application/json")
                .putHeader("X-Client-Request-ID", UUID.randomUUID().toString())
                .build();
        CompletableFuture<Task> result = new CompletableFuture<>();
        ResponseHandler handler = new ResponseHandler(taskId, result);
        http.execute(AsyncExecuteRequest.builder()
                        .request(request)
                        .requestContentPublisher(EmptyContent.INSTANCE)
                        .responseHandler(handler)
                        .build())
                .whenComplete((ignored, error) -> {
                    if (error != null) {
                        result.completeExceptionally(error);
                    }
                });
        return result;
    }

    static boolean isTransient(Throwable error) {
        return !(error instanceof IllegalArgumentException);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        http.close();
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Collects the body, then maps 200 to the decoded Task and 303 to a completed Task. */
    private static final class ResponseHandler implements SdkAsyncHttpResponseHandler, Subscriber<ByteBuffer> {
        private final String taskId;
        private final CompletableFuture<Task> result;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream(512);
        private volatile int status;
        private volatile Optional<String> location = Optional.empty();

        ResponseHandler(String taskId, CompletableFuture<Task> result) {
            this.taskId = taskId;
            this.result = result;
        }

        @Override
        public void onHeaders(SdkHttpResponse headers) {
            status = headers.statusCode();
            location = headers.firstMatchingHeader("Location");
        }

        @Override
        public void onStream(Publisher<ByteBuffer> stream) {
            stream.subscribe(this);
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onSubscribe(Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            body.write(bytes, 0, bytes.length);
        }

        @Override
        public void onComplete() {
            try {
                if (status == 303) {
                    String install = AzurePollerSystem.lastSegment(location.orElse(null));
                    result.complete(Task.of(taskId, TaskStatus.COMPLETED, install));
                } else if (status == 200) {
                    result.complete(TaskJson.decode(body.toString(StandardCharsets.UTF_8)));
                } else {
                    result.completeExceptionally(new IllegalStateException("GET task " + taskId + " → " + status));
                }
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }
    }

    /** A {@code GET} has no body. */
    private enum EmptyContent implements SdkHttpContentPublisher {
        INSTANCE;

        @Override
        public Optional<Long> contentLength() {
            return Optional.of(0L);
        }

        @Override
        public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
            subscriber.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {}

                @Override
                public void cancel() {}
            });
            subscriber.onComplete();
        }
    }
}
