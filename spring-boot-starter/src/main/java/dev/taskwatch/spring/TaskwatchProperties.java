package dev.taskwatch.spring;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.reactor.WatchOptions;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code taskwatch.*} properties: where the catalog API is, how to authenticate, and how to poll.
 *
 * <pre>{@code
 * taskwatch.base-url=https://api.keycard.ai
 * taskwatch.response-timeout=10s
 * taskwatch.watch.max-delay=30s
 * taskwatch.watch.timeout=30m
 * }</pre>
 *
 * <p>Credentials default to the {@code KEYCARD_API_*} variables the Keycard SDKs read. Setting {@code api-key}, or
 * {@code client-id} with {@code client-secret}, replaces them. Their names end in {@code key} and {@code secret}, so
 * Spring's credential rule ({@code SanitizingFunction.ifLikelyCredential()}) masks them in {@code /actuator/env} and
 * {@code /actuator/configprops} even where an application shows other values; by default Actuator masks every value.
 * A value that would fail the client or the watcher fails the binding, naming the property; a secret's value is
 * checked only when the client is built, so that no failure message repeats it.
 */
@ConfigurationProperties("taskwatch")
public class TaskwatchProperties {

    /**
     * The catalog API's base URL, http or https, optionally with a path prefix. Defaults to the KEYCARD_API_BASE_URL
     * environment variable (blank counts as unset), else https://api.keycard.ai.
     */
    private @Nullable URI baseUrl;

    /** How long to wait for a response once a request is sent, and between reads of its body. */
    private Duration responseTimeout = Duration.ofSeconds(10);

    /**
     * A static API key, sent as "Authorization: Bearer ...". Replaces the KEYCARD_API_* environment variables. Never
     * logged.
     */
    private @Nullable String apiKey;

    /**
     * The OAuth2 client id, used with client-secret for client credentials. Replaces the KEYCARD_API_* environment
     * variables.
     */
    private @Nullable String clientId;

    /** The OAuth2 client secret, used with client-id. Never logged. */
    private @Nullable String clientSecret;

    private final Watch watch = new Watch();

    /**
     * Where the catalog API is: {@code taskwatch.base-url}.
     *
     * @return the URL set, or {@code null} for the default: {@code KEYCARD_API_BASE_URL}, else
     *     {@code https://api.keycard.ai}
     */
    public @Nullable URI getBaseUrl() {
        return baseUrl;
    }

    /**
     * Binds {@code taskwatch.base-url}, checked by the client's rules so that a bad value fails the binding.
     *
     * @param baseUrl an absolute http or https URL with a host, optionally with a path prefix, no query or fragment;
     *     {@code null} for the default
     * @throws IllegalArgumentException if the client would reject {@code baseUrl}; a URL with user info is rejected
     *     only when the client is built, by a message that does not repeat it
     */
    public void setBaseUrl(@Nullable URI baseUrl) {
        // The client's rule, reported against this property; but a URL with user info may hold a password, which a
        // binding failure would print, so that one is left to the client, whose message never repeats it.
        if (baseUrl != null && baseUrl.getRawUserInfo() == null) {
            CatalogTasksClient.builder().baseUrl(baseUrl);
        }
        this.baseUrl = baseUrl;
    }

    /**
     * How long a request waits for its response: {@code taskwatch.response-timeout}.
     *
     * @return the timeout, 10 seconds unless set
     */
    public Duration getResponseTimeout() {
        return responseTimeout;
    }

    /**
     * Binds {@code taskwatch.response-timeout}, checked by the client's rule.
     *
     * @param responseTimeout the timeout, not {@code null}; {@code 10s} in a properties file
     * @throws IllegalArgumentException if not positive
     */
    public void setResponseTimeout(Duration responseTimeout) {
        CatalogTasksClient.builder().responseTimeout(responseTimeout);
        this.responseTimeout = responseTimeout;
    }

    /**
     * The static API key, {@code taskwatch.api-key}; a secret, not to be logged.
     *
     * @return the key, or {@code null} (or empty) when not set
     */
    public @Nullable String getApiKey() {
        return apiKey;
    }

    /**
     * Binds {@code taskwatch.api-key}. Not checked here, so that no binding failure prints it: a key the client
     * rejects, or one set together with {@code client-id} or {@code client-secret}, fails when the client is built.
     *
     * @param apiKey the key, or {@code null} or empty to leave it unset
     */
    public void setApiKey(@Nullable String apiKey) {
        this.apiKey = apiKey;
    }

    /**
     * The OAuth2 client id: {@code taskwatch.client-id}.
     *
     * @return the id, or {@code null} (or empty) when not set
     */
    public @Nullable String getClientId() {
        return clientId;
    }

    /**
     * Binds {@code taskwatch.client-id}. Checked when the client is built: it needs {@code client-secret} too, and
     * no {@code api-key}.
     *
     * @param clientId the id, or {@code null} or empty to leave it unset
     */
    public void setClientId(@Nullable String clientId) {
        this.clientId = clientId;
    }

    /**
     * The OAuth2 client secret, {@code taskwatch.client-secret}; a secret, not to be logged.
     *
     * @return the secret, or {@code null} (or empty) when not set
     */
    public @Nullable String getClientSecret() {
        return clientSecret;
    }

    /**
     * Binds {@code taskwatch.client-secret}. Not checked here, so that no binding failure prints it; checked when the
     * client is built, which needs {@code client-id} too, and no {@code api-key}.
     *
     * @param clientSecret the secret, or {@code null} or empty to leave it unset
     */
    public void setClientSecret(@Nullable String clientSecret) {
        this.clientSecret = clientSecret;
    }

    /**
     * The {@code taskwatch.watch.*} group, which Spring binds in place.
     *
     * @return the same mutable instance on every call, never {@code null}
     */
    public Watch getWatch() {
        return watch;
    }

    /** Lists the settings; of the credentials only which kind is configured, never a value. */
    @Override
    public String toString() {
        return "TaskwatchProperties{baseUrl=" + (baseUrl == null ? "default" : baseUrl) + ", responseTimeout="
                + responseTimeout + ", credentials=" + credentialsKind() + ", watch=" + watch + "}";
    }

    private String credentialsKind() {
        if (hasText(apiKey)) {
            return "api-key";
        }
        return hasText(clientId) || hasText(clientSecret) ? "client-credentials" : "environment";
    }

    static boolean hasText(@Nullable String value) {
        return value != null && !value.isEmpty();
    }

    /**
     * The {@code taskwatch.watch.*} properties: the {@link WatchOptions} of the application's {@code TaskWatcher}.
     * Their defaults are {@link WatchOptions#defaults()}.
     */
    public static class Watch {

        /** The delay after the first poll, the first step of the backoff, and the shortest wait a server can ask for. */
        private Duration initialDelay = Duration.ofMillis(1750);

        /** The longest computed delay between polls. Retry-After hints from the server may exceed it. */
        private Duration maxDelay = Duration.ofSeconds(12);

        /** The factor by which each delay grows over the previous one; at least 1.0. */
        private double multiplier = 1.25;

        /** The random spread of each delay as a fraction of it, in [0, 1): 0.2 means plus or minus 20 %. */
        private double jitter = 0.2;

        /**
         * How long a watch may run, from its subscription, before it ends with a timeout error. None by default:
         * watch until the task ends.
         */
        private @Nullable Duration timeout;

        /** How long after a task's first poll a 404 is taken for "not visible yet" and retried. */
        private Duration notFoundGrace = Duration.ofSeconds(30);

        /** How many transient failures in a row are retried; the next one ends the watch. */
        private int maxConsecutiveErrors = 10;

        // Each setter applies WatchOptions' own check, so that a bad value fails the binding with the property's
        // name and origin, rather than the creation of the watcher.

        /**
         * The first delay between polls: {@code taskwatch.watch.initial-delay}.
         *
         * @return the delay, 1.75 seconds unless set
         */
        public Duration getInitialDelay() {
            return initialDelay;
        }

        /**
         * Binds {@code taskwatch.watch.initial-delay}, checked by {@link WatchOptions#initialDelay(Duration)}.
         *
         * @param initialDelay the delay, not {@code null}; capped by {@code max-delay}
         * @throws IllegalArgumentException if not positive, or too long for a {@code long} of nanoseconds
         */
        public void setInitialDelay(Duration initialDelay) {
            WatchOptions.defaults().initialDelay(initialDelay);
            this.initialDelay = initialDelay;
        }

        /**
         * The longest computed delay between polls: {@code taskwatch.watch.max-delay}.
         *
         * @return the cap, 12 seconds unless set
         */
        public Duration getMaxDelay() {
            return maxDelay;
        }

        /**
         * Binds {@code taskwatch.watch.max-delay}, checked by {@link WatchOptions#maxDelay(Duration)}.
         *
         * @param maxDelay the cap on computed delays, not {@code null}
         * @throws IllegalArgumentException if not positive, or too long for a {@code long} of nanoseconds
         */
        public void setMaxDelay(Duration maxDelay) {
            WatchOptions.defaults().maxDelay(maxDelay);
            this.maxDelay = maxDelay;
        }

        /**
         * How much each delay grows over the previous one: {@code taskwatch.watch.multiplier}.
         *
         * @return the factor, {@code 1.25} unless set
         */
        public double getMultiplier() {
            return multiplier;
        }

        /**
         * Binds {@code taskwatch.watch.multiplier}, checked by {@link WatchOptions#multiplier(double)}.
         *
         * @param multiplier the factor; {@code 1.0} keeps every delay at the initial one (before jitter)
         * @throws IllegalArgumentException if below {@code 1.0}, infinite or NaN
         */
        public void setMultiplier(double multiplier) {
            WatchOptions.defaults().multiplier(multiplier);
            this.multiplier = multiplier;
        }

        /**
         * The random spread of each delay, as a fraction of it: {@code taskwatch.watch.jitter}.
         *
         * @return the fraction, {@code 0.2} unless set
         */
        public double getJitter() {
            return jitter;
        }

        /**
         * Binds {@code taskwatch.watch.jitter}, checked by {@link WatchOptions#jitter(double)}.
         *
         * @param jitter the fraction; {@code 0} turns the spread off
         * @throws IllegalArgumentException if not in {@code [0, 1)}
         */
        public void setJitter(double jitter) {
            WatchOptions.defaults().jitter(jitter);
            this.jitter = jitter;
        }

        /**
         * How long a watch may run: {@code taskwatch.watch.timeout}.
         *
         * @return the limit per subscription, or {@code null} (the default) to watch until the task ends
         */
        public @Nullable Duration getTimeout() {
            return timeout;
        }

        /**
         * Binds {@code taskwatch.watch.timeout}, checked by {@link WatchOptions#timeout(Duration)}.
         *
         * @param timeout the limit per subscription, after which a watch ends with {@code WatchTimeoutException}; or
         *     {@code null} for none
         * @throws IllegalArgumentException if not positive, or too long for a {@code long} of nanoseconds
         */
        public void setTimeout(@Nullable Duration timeout) {
            if (timeout != null) {
                WatchOptions.defaults().timeout(timeout);
            }
            this.timeout = timeout;
        }

        /**
         * How long after a task's first poll a {@code 404} is retried: {@code taskwatch.watch.not-found-grace}.
         *
         * @return the grace, 30 seconds unless set
         */
        public Duration getNotFoundGrace() {
            return notFoundGrace;
        }

        /**
         * Binds {@code taskwatch.watch.not-found-grace}, checked by {@link WatchOptions#notFoundGrace(Duration)}.
         *
         * @param notFoundGrace the grace, not {@code null}; zero makes every {@code 404} end the watch
         * @throws IllegalArgumentException if negative, or too long for a {@code long} of nanoseconds
         */
        public void setNotFoundGrace(Duration notFoundGrace) {
            WatchOptions.defaults().notFoundGrace(notFoundGrace);
            this.notFoundGrace = notFoundGrace;
        }

        /**
         * How many transient failures in a row are retried: {@code taskwatch.watch.max-consecutive-errors}.
         *
         * @return the count, {@code 10} unless set
         */
        public int getMaxConsecutiveErrors() {
            return maxConsecutiveErrors;
        }

        /**
         * Binds {@code taskwatch.watch.max-consecutive-errors}, checked by {@link WatchOptions#maxConsecutiveErrors(int)}.
         *
         * @param maxConsecutiveErrors the count; {@code 0} ends a watch on its first transient failure
         * @throws IllegalArgumentException if negative
         */
        public void setMaxConsecutiveErrors(int maxConsecutiveErrors) {
            WatchOptions.defaults().maxConsecutiveErrors(maxConsecutiveErrors);
            this.maxConsecutiveErrors = maxConsecutiveErrors;
        }

        /** These settings applied to {@code base}. */
        WatchOptions applyTo(WatchOptions base) {
            WatchOptions options = base.initialDelay(initialDelay)
                    .maxDelay(maxDelay)
                    .multiplier(multiplier)
                    .jitter(jitter)
                    .notFoundGrace(notFoundGrace)
                    .maxConsecutiveErrors(maxConsecutiveErrors);
            Duration limit = timeout;
            return limit == null ? options : options.timeout(limit);
        }

        @Override
        public String toString() {
            return "Watch{initialDelay=" + initialDelay + ", maxDelay=" + maxDelay + ", multiplier=" + multiplier
                    + ", jitter=" + jitter + ", timeout=" + (timeout == null ? "none" : timeout) + ", notFoundGrace="
                    + notFoundGrace + ", maxConsecutiveErrors=" + maxConsecutiveErrors + "}";
        }
    }
}
