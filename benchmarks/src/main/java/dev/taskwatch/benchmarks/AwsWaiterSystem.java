package dev.taskwatch.benchmarks;

import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
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
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
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
 * The AWS SDK v2 {@link AsyncWaiter} on the comparison's {@link Schedule}, over one of two HTTP clients: the SDK's own
 * Netty async client ({@code netty-nio-client}'s {@link SdkAsyncHttpClient}, {@code maxConcurrency} 64), or a Reactor
 * Netty {@code HttpClient} with the same 64-connection pool as the floor, to tell the waiter's cost from its HTTP
 * stack's.
 *
 * <p>Configuration, as a generated AWS waiter is configured: acceptors "success on completed", "error on failed",
 * "retry on anything else", and on transient exceptions; attempts and wait effectively unbounded (every system here
 * waits until the task ends); a 5-thread scheduled executor, the size the SDK gives its async service clients. The
 * schedule is a {@link BackoffStrategy} without jitter, indexed as the waiter asks for it (see {@link #backoff}).
 *
 * <p>Adaptation: there is no service model for Keycard, so the poll function builds the {@code GET} itself and hands
 * it to the HTTP client; neither client follows redirects, and a {@code 303} is read as completed. Bodies are decoded
 * with taskwatch's {@link TaskJson}, so every system pays the same decoding.
 */
final class AwsWaiterSystem implements WatchSystem {

    /** The efficiency study's exponential waiter: half jitter from 1 s to 10 s, taskwatch's default bounds. */
    static final BackoffStrategy BACKOFF =
            BackoffStrategy.exponentialDelayHalfJitter(Duration.ofSeconds(1), Duration.ofSeconds(10));

    private final URI baseUrl;
    private final Transport transport;
    private final ScheduledExecutorService scheduler;
    private final AsyncWaiter<Task> waiter;

    private AwsWaiterSystem(URI baseUrl, Schedule schedule, Transport transport) {
        this.baseUrl = baseUrl;
        this.transport = transport;
        this.scheduler = Executors.newScheduledThreadPool(5, daemonThreads("aws-waiter-"));
        this.waiter = waiter(scheduler, backoff(schedule));
    }

    static WatchSystem overSdkNettyNio(URI baseUrl, Schedule schedule) {
        return new AwsWaiterSystem(baseUrl, schedule, new SdkNettyNio());
    }

    static WatchSystem overReactorNetty(URI baseUrl, Schedule schedule) {
        return new AwsWaiterSystem(baseUrl, schedule, new ReactorNettyTransport());
    }

    /**
     * The schedule as the waiter's backoff. After its attempt-th request (attempts count from 1) the waiter asks for
     * {@code computeDelay(attempt + 2)} (sdk-core 2.57.8, {@code WaiterExecutorHelper.computeNextDelayInMills}), so
     * the delay after a watch's n-th answer (n from 0) is asked for as {@code computeDelay(n + 3)}. (The SDK's own
     * {@code exponentialDelayWithoutJitter(base, max)} gives {@code base × 2^(a - 2)} there: 2 × base first.)
     */
    static BackoffStrategy backoff(Schedule schedule) {
        return attempt -> schedule.delay(Math.max(0, attempt - 3));
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
        waiter.runAsync(() -> transport.get(uri, taskId)).whenComplete((response, error) -> {
            if (error != null) {
                listener.failed(error);
            } else if (response.matched().response().isPresent()) {
                listener.completed(Instant.now());
            } else {
                listener.failed(response.matched().exception().orElseThrow());
            }
        });
    }

    static boolean isTransient(Throwable error) {
        return !(error instanceof IllegalArgumentException);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        transport.close();
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One {@code GET} of a task for the waiter's polling function. */
    private interface Transport {
        CompletableFuture<Task> get(URI uri, String taskId);

        void close();
    }

    /** {@code 200} → the decoded Task, {@code 303} → a completed Task with the install id from {@code Location}. */
    static Task toTask(String taskId, int status, @Nullable String location, String body) {
        if (status == 303) {
            return Task.of(taskId, TaskStatus.COMPLETED, AzurePollerSystem.lastSegment(location));
        }
        if (status == 200) {
            return Task.fromJson(body);
        }
        throw new IllegalStateException("GET task " + taskId + " → " + status);
    }

    /** The SDK's own async HTTP client. */
    private static final class SdkNettyNio implements Transport {
        private final SdkAsyncHttpClient http = NettyNioAsyncHttpClient.builder()
                .maxConcurrency(64)
                .maxPendingConnectionAcquires(1_000_000)
                .connectionAcquisitionTimeout(Duration.ofSeconds(60))
                .build();

        @Override
        public CompletableFuture<Task> get(URI uri, String taskId) {
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

        @Override
        public void close() {
            http.close();
        }
    }

    /** A Reactor Netty {@code HttpClient}; headers set on the request, not with {@code headers(...)}, which copies the client. */
    private static final class ReactorNettyTransport implements Transport {
        private final ConnectionProvider provider = WatchSystem.pool("aws-reactor");
        private final HttpClient http = HttpClient.create(provider);

        @Override
        public CompletableFuture<Task> get(URI uri, String taskId) {
            return http.request(HttpMethod.GET)
                    .uri(uri)
                    .send((req, out) -> {
                        req.header(HttpHeaderNames.ACCEPT, "application/json")
                                .header("X-Client-Request-ID", UUID.randomUUID().toString());
                        return out;
                    })
                    .responseSingle((response, body) -> body.asString(StandardCharsets.UTF_8)
                            .defaultIfEmpty("")
                            .map(text -> toTask(
                                    taskId,
                                    response.status().code(),
                                    response.responseHeaders().get(HttpHeaderNames.LOCATION),
                                    text)))
                    .toFuture();
        }

        @Override
        public void close() {
            provider.dispose();
        }
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
                result.complete(toTask(taskId, status, location.orElse(null), body.toString(StandardCharsets.UTF_8)));
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
