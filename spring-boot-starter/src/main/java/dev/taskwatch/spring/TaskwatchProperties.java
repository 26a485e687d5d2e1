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

    public @Nullable URI getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(@Nullable URI baseUrl) {
        // The client's rule, reported against this property; but a URL with user info may hold a password, which a
        // binding failure would print, so that one is left to the client, whose message never repeats it.
        if (baseUrl != null && baseUrl.getRawUserInfo() == null) {
            CatalogTasksClient.builder().baseUrl(baseUrl);
        }
        this.baseUrl = baseUrl;
    }

    public Duration getResponseTimeout() {
        return responseTimeout;
    }

    public void setResponseTimeout(Duration responseTimeout) {
        CatalogTasksClient.builder().responseTimeout(responseTimeout);
        this.responseTimeout = responseTimeout;
    }

    public @Nullable String getApiKey() {
        return apiKey;
    }

    public void setApiKey(@Nullable String apiKey) {
        this.apiKey = apiKey;
    }

    public @Nullable String getClientId() {
        return clientId;
    }

    public void setClientId(@Nullable String clientId) {
        this.clientId = clientId;
    }

    public @Nullable String getClientSecret() {
        return clientSecret;
    }

    public void setClientSecret(@Nullable String clientSecret) {
        this.clientSecret = clientSecret;
    }

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

        public Duration getInitialDelay() {
            return initialDelay;
        }

        public void setInitialDelay(Duration initialDelay) {
            WatchOptions.defaults().initialDelay(initialDelay);
            this.initialDelay = initialDelay;
        }

        public Duration getMaxDelay() {
            return maxDelay;
        }

        public void setMaxDelay(Duration maxDelay) {
            WatchOptions.defaults().maxDelay(maxDelay);
            this.maxDelay = maxDelay;
        }

        public double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(double multiplier) {
            WatchOptions.defaults().multiplier(multiplier);
            this.multiplier = multiplier;
        }

        public double getJitter() {
            return jitter;
        }

        public void setJitter(double jitter) {
            WatchOptions.defaults().jitter(jitter);
            this.jitter = jitter;
        }

        public @Nullable Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(@Nullable Duration timeout) {
            if (timeout != null) {
                WatchOptions.defaults().timeout(timeout);
            }
            this.timeout = timeout;
        }

        public Duration getNotFoundGrace() {
            return notFoundGrace;
        }

        public void setNotFoundGrace(Duration notFoundGrace) {
            WatchOptions.defaults().notFoundGrace(notFoundGrace);
            this.notFoundGrace = notFoundGrace;
        }

        public int getMaxConsecutiveErrors() {
            return maxConsecutiveErrors;
        }

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
