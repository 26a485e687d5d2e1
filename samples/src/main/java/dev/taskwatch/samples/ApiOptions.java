package dev.taskwatch.samples;

import dev.taskwatch.core.CatalogTasksClient;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The options of the commands that call the API ({@code get}, {@code wait}): where it is, how long a request takes. */
final class ApiOptions {

    @Option(
            names = "--base-url",
            description = "API base URL (default: KEYCARD_API_BASE_URL unless blank, else https://api.keycard.ai).")
    @Nullable
    URI baseUrl;

    @Option(
            names = "--request-timeout",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Timeout of each request (default: ${DEFAULT-VALUE}).")
    Duration requestTimeout;

    /**
     * A client for these options, the base URL (without {@code --base-url}) and the credentials taken from
     * {@code env}'s {@code KEYCARD_API_*} variables by the library's own rules.
     *
     * @throws IllegalArgumentException if a variable is unusable (a usage error); the message never holds a secret
     */
    CatalogTasksClient client(Map<String, String> env) {
        CatalogTasksClient.Builder builder =
                CatalogTasksClient.builder().environment(env).responseTimeout(requestTimeout);
        if (baseUrl != null) {
            builder.baseUrl(baseUrl);
        }
        return builder.build();
    }
}
