package dev.taskwatch.core;

import dev.taskwatch.core.internal.SafeText;
import dev.taskwatch.core.internal.TaskRequests;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.Connection;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;
import reactor.util.context.Context;

/**
 * The Reactor Netty implementation behind {@link CatalogTasksClient#builder()}.
 *
 * <p>Everything that is the same for every poll is built once, in the constructor: the GET request spec with its
 * constant headers and a fixed remote address (so a request only adds its path, which Reactor Netty then takes as
 * is, without parsing an absolute URL per request). A poll builds its path, and one small chain of operators.
 */
final class NettyCatalogTasksClient implements CatalogTasksClient, TaskRequests.Prefixed {

    private static final Logger log = LoggerFactory.getLogger(CatalogTasksClient.class);
    static final String USER_AGENT = "taskwatch/" + version();
    private static final AsciiString CLIENT_REQUEST_ID = AsciiString.cached("X-Client-Request-ID");

    private final URI baseUrl;
    private final Credentials credentials;
    private final Duration responseTimeout;
    private final int maxResponseBytes;
    private final Clock clock;
    private final ConnectionProvider provider;
    private final Map<SocketAddress, ConnectionPoolMetrics> pools = new ConcurrentHashMap<>();
    /** A GET to the base URL's origin: a request gives it only its path. */
    private final HttpClient.RequestSender get;

    private final @Nullable TokenSource tokens;
    private final Redactor redactor;
    private volatile boolean closed;

    NettyCatalogTasksClient(
            URI baseUrl,
            Credentials credentials,
            Duration responseTimeout,
            Duration connectTimeout,
            Duration maxIdleTime,
            int maxResponseBytes,
            int maxConnections,
            Clock clock) {
        // Jackson's first use on the builder's thread, not on an event loop.
        TaskDecoder.load();
        this.baseUrl = baseUrl;
        this.credentials = credentials;
        this.responseTimeout = responseTimeout;
        this.maxResponseBytes = maxResponseBytes;
        this.clock = clock;
        // Idle connections are dropped well before typical server and proxy idle timeouts (see the builder's
        // DEFAULT_MAX_IDLE_TIME); Reactor Netty checks the idle time when a connection is acquired.
        this.provider = ConnectionProvider.builder("taskwatch")
                .maxConnections(maxConnections)
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(Duration.ofSeconds(60))
                .maxIdleTime(maxIdleTime)
                .maxLifeTime(Duration.ofMinutes(5))
                .evictInBackground(Duration.ofSeconds(30))
                // Our own registrar (no Micrometer needed) so tests and benchmarks can see what the pool holds.
                .metrics(true, () -> new ConnectionProvider.MeterRegistrar() {
                    @Override
                    public void registerMetrics(
                            String name, String id, SocketAddress remote, ConnectionPoolMetrics metrics) {
                        pools.put(remote, metrics);
                    }

                    @Override
                    public void deRegisterMetrics(String name, String id, SocketAddress remote) {
                        pools.remove(remote);
                    }
                })
                .build();
        HttpClient http = HttpClient.create(provider)
                .followRedirect(false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .responseTimeout(responseTimeout)
                // After an interim response (102, 103) that Reactor Netty took for the final one, the real final
                // response is still on its way on this connection: pooled, the connection would hand it to the next
                // request as that request's answer. Closed instead.
                .doOnResponse((response, connection) -> {
                    if (response.status().code() < 200) {
                        connection.markPersistent(false);
                    }
                })
                .headers(h ->
                        h.set(HttpHeaderNames.USER_AGENT, USER_AGENT).set(HttpHeaderNames.ACCEPT, "application/json"));
        this.tokens = credentials instanceof ClientCredentials cc
                ? new TokenSource(http, baseUrl, cc, maxResponseBytes, clock)
                : null;
        this.get = taskRequests(http, baseUrl, credentials);
        this.redactor = Redactor.of(credentials);
    }

    /**
     * GET requests to the base URL's origin with every header that does not change between polls. Given the remote
     * address (and TLS when the scheme is https) here, a request's relative URI needs no parsing and no address of
     * its own; the {@code Host} header is the one Reactor Netty would derive from the address, computed once.
     */
    private static HttpClient.RequestSender taskRequests(HttpClient http, URI baseUrl, Credentials credentials) {
        InetSocketAddress address = Endpoint.remoteAddress(baseUrl);
        String host = Endpoint.hostHeader(address);
        HttpClient tasks = http.remoteAddress(() -> address)
                .headers(h -> {
                    h.set(HttpHeaderNames.HOST, host);
                    if (credentials instanceof BearerCredentials bearer) {
                        h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + bearer.token());
                    }
                })
                .doOnRequest(NettyCatalogTasksClient::addRequestHeaders);
        if (Endpoint.isHttps(baseUrl)) {
            tasks = tasks.secure(); // the same default TLS (verification on) Reactor Netty applies to an https URL
        }
        return tasks.request(HttpMethod.GET);
    }

    /** The headers that differ between requests, carried to the request in the subscriber's context. */
    private record RequestHeaders(
            @Nullable String authorization, @Nullable String clientRequestId) {}

    private static void addRequestHeaders(HttpClientRequest request, Connection connection) {
        RequestHeaders headers = request.currentContextView().getOrDefault(RequestHeaders.class, null);
        if (headers != null) {
            if (headers.authorization() != null) {
                request.header(HttpHeaderNames.AUTHORIZATION, headers.authorization());
            }
            if (headers.clientRequestId() != null) {
                request.header(CLIENT_REQUEST_ID, headers.clientRequestId());
            }
        }
    }

    @Override
    public Mono<CatalogTasksClient.Response> exchange(String zoneId, String taskId, @Nullable String clientRequestId) {
        RequestValues.requireId(zoneId, "zoneId");
        RequestValues.requireId(taskId, "taskId");
        if (clientRequestId != null) {
            RequestValues.requireClientRequestId(clientRequestId);
        }
        Exchange exchange = new Exchange(TaskRequests.path(pathPrefix(), zoneId, taskId), taskId, clientRequestId);
        // Checked at subscription, not here: a Mono built before close() may be subscribed after it. Without this
        // check Reactor Netty would quietly recreate the disposed pool, and nothing would ever release it.
        return Mono.defer(() -> closed
                ? Mono.error(new IllegalStateException(exchange.request() + ": the CatalogTasksClient is closed"))
                : authorized(exchange));
    }

    private Mono<CatalogTasksClient.Response> authorized(Exchange exchange) {
        TokenSource tokenSource = tokens;
        if (tokenSource == null) {
            return exchange.send(null); // no credentials, or a bearer token: a header of the request spec
        }
        // Token endpoint failures are scrubbed here (the exchange scrubs its own): its error body may echo the secret.
        return tokenSource
                .token()
                .flatMap(token -> exchange.send(token.header())
                        // One retry with a fresh token when the cached one was refused (revoked, clock skew).
                        .onErrorResume(NettyCatalogTasksClient::isUnauthorized, e -> {
                            log.debug(
                                    "{} → 401 with a cached token; fetching a new one and retrying once",
                                    exchange.request());
                            tokenSource.invalidate(token);
                            return tokenSource.token().flatMap(fresh -> exchange.send(fresh.header()));
                        }))
                .onErrorMap(CatalogException.class, e -> redactor.scrub(e, null));
    }

    @Override
    public String pathPrefix() {
        return Endpoint.pathPrefix(baseUrl);
    }

    @Override
    public void close() {
        closed = true;
        provider.dispose();
    }

    /** What the connection pool holds now, summed over remote addresses (tests and benchmarks). */
    PoolStats poolStats() {
        int acquired = 0;
        int pending = 0;
        int idle = 0;
        for (ConnectionPoolMetrics m : pools.values()) {
            acquired += m.acquiredSize();
            pending += m.pendingAcquireSize();
            idle += m.idleSize();
        }
        return new PoolStats(acquired, pending, idle);
    }

    /** Connections lent out, acquisitions waiting for one, and idle connections kept for reuse. */
    record PoolStats(int acquired, int pending, int idle) {}

    @Override
    public String toString() {
        return "CatalogTasksClient{baseUrl=" + baseUrl + ", credentials=" + credentials + ", responseTimeout="
                + responseTimeout + "}";
    }

    private static boolean isUnauthorized(Throwable e) {
        return e instanceof CatalogApiException api && api.httpStatus() == 401;
    }

    /**
     * Releases the body of a response that a cancelled exchange dropped unread. Reactor Netty hands the response over
     * before its body is read; a cancel that lands just before makes it discard the response instead, and a body
     * that arrived with the head is then already queued on the connection, which goes back to the pool with it and
     * never releases it.
     */
    private static void discardUnread(Connection dropped) {
        if (dropped instanceof ChannelOperations<?, ?> response) {
            response.discard();
        }
    }

    /** One logical request; {@link #send} may run twice (the 401 retry). */
    private final class Exchange {
        final String path;
        final String taskId;
        final @Nullable String clientRequestId;

        Exchange(String path, String taskId, @Nullable String clientRequestId) {
            this.path = path;
            this.taskId = taskId;
            this.clientRequestId = clientRequestId;
        }

        /** The request line for messages, such as {@code GET /zones/z1/catalog_tasks/t1}; built only when needed. */
        String request() {
            return TaskRequests.line(path);
        }

        /** @param authorization the {@code Authorization} value for this request only (an OAuth2 token), or null */
        Mono<CatalogTasksClient.Response> send(@Nullable String authorization) {
            Mono<CatalogTasksClient.Response> response = get.uri(path)
                    .response(this::handle)
                    .doOnDiscard(Connection.class, NettyCatalogTasksClient::discardUnread)
                    .single()
                    .onErrorMap(e -> failure(e, authorization));
            if (authorization != null || clientRequestId != null) {
                response = response.contextWrite(
                        Context.of(RequestHeaders.class, new RequestHeaders(authorization, clientRequestId)));
            }
            return log.isDebugEnabled() ? logged(response) : response;
        }

        /**
         * Every failure as one of ours, scrubbed: a server that echoes the request back (an error page quoting the
         * headers, a debugging proxy) would otherwise put the token into the message.
         */
        private CatalogException failure(Throwable e, @Nullable String authorization) {
            CatalogException ours;
            if (e instanceof CatalogException tw) {
                ours = tw;
            } else if (e instanceof NoSuchElementException) {
                // single()'s signal for an exchange that completed with no response at all
                ours = new CatalogTransportException(request() + " ended without a response", null, true);
            } else {
                ours = transportFailure(request(), e);
            }
            return redactor.scrub(ours, authorization);
        }

        private Mono<CatalogTasksClient.Response> logged(Mono<CatalogTasksClient.Response> response) {
            long start = System.nanoTime();
            return response.doOnEach(signal -> {
                if (signal.isOnNext() || signal.isOnError()) {
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    // The status is the server's raw text, and a message may quote some: escaped, one line each.
                    String outcome = signal.isOnNext()
                            ? SafeText.escape(signal.get().task().statusValue(), 64)
                            : SafeText.escape(
                                    String.valueOf(signal.getThrowable().getMessage()), 1000);
                    log.debug("{} → {} in {} ms", request(), outcome, ms);
                }
            });
        }

        private Mono<CatalogTasksClient.Response> handle(HttpClientResponse response, ByteBufFlux body) {
            int status = response.status().code();
            HttpHeaders headers = response.responseHeaders();
            Duration hint = RetryHints.from(headers, clock);
            if (status < 200) {
                // Reactor Netty skips only 100 Continue; any other interim response (102 Processing, 103 Early Hints)
                // reaches us as if it were the answer, and the final response behind it is discarded. Not a definite
                // answer from the API, so transient (the next poll will likely see the real one), never a fatal error.
                return CappedBody.readDetail(headers, body, maxResponseBytes)
                        .then(Mono.error(() -> new CatalogProtocolException(
                                request() + " → " + status + ", an interim (1xx) response in place of the final one",
                                null,
                                true)));
            }
            if (status == 200) {
                return CappedBody.read(headers, body, maxResponseBytes, () -> request() + " → 200")
                        .map(bytes -> new CatalogTasksClient.Response(decode(bytes), hint));
            }
            if (status == 303) {
                // 303 means completed. The body is drained (so the connection can be reused), never followed.
                String installId = InstallLocation.installId(headers.get(HttpHeaderNames.LOCATION));
                return CappedBody.readDetail(headers, body, maxResponseBytes)
                        .thenReturn(new CatalogTasksClient.Response(
                                Task.of(taskId, TaskStatus.COMPLETED, installId), hint));
            }
            return CappedBody.readDetail(headers, body, maxResponseBytes)
                    .flatMap(bytes -> Mono.error(ApiErrors.from(request(), status, headers, bytes, hint)));
        }

        private Task decode(CappedBody body) {
            Task task;
            try {
                task = TaskDecoder.decodeTask(body.array(), 0, body.size());
            } catch (StrictJson.MalformedException e) {
                throw new CatalogProtocolException(
                        request() + " → 200 with an invalid Task: " + e.getMessage(), e, true);
            }
            if (!task.id().equals(taskId)) {
                throw new CatalogProtocolException(
                        request() + " → 200 with a Task for another id: " + RequestValues.quote(task.id()),
                        null,
                        false);
            }
            return task;
        }
    }

    static CatalogException transportFailure(String request, Throwable e) {
        if (e instanceof SSLException || e.getCause() instanceof SSLException) {
            return new CatalogTransportException(
                    // A certificate's names are the server's text: escaped like any other.
                    request + " failed: TLS handshake failed: " + SafeText.escape(String.valueOf(e.getMessage()), 500),
                    e,
                    false);
        }
        if (e instanceof ReadTimeoutException) {
            return new CatalogTransportException(request + " failed: no response within the response timeout", e, true);
        }
        if (e instanceof PrematureCloseException) {
            return new CatalogTransportException(
                    request + " failed: connection closed before the response completed", e, true);
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : SafeText.escape(e.getMessage(), 500);
        return new CatalogTransportException(request + " failed: " + detail, e, true);
    }

    private static String version() {
        String v = CatalogTasksClient.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
