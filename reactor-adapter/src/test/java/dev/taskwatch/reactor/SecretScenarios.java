package dev.taskwatch.reactor;

import dev.taskwatch.core.CatalogApiException;
import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.Warning;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * The failure scenarios of {@link SecretsLeakTest}, run in a JVM of their own with every logger at TRACE. Prints
 * every exception it gets (message, {@code toString()}, full stack trace with causes and suppressed ones, and the
 * server fields a user might log) and the {@code toString()} of every object holding a secret, so that the parent
 * can scan all of this JVM's output. Exits 0 when every scenario failed as expected, 1 otherwise.
 *
 * <p>Arguments: the server's base URL, the bearer token, the client id, the client secret.
 */
final class SecretScenarios {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private SecretScenarios() {}

    public static void main(String[] args) {
        URI base = URI.create(args[0]);
        Credentials bearer = Credentials.bearer(args[1]);
        Credentials clientCredentials = Credentials.clientCredentials(args[2], args[3]);
        List<String> problems = new ArrayList<>();
        int exceptions = 0;

        WatchOptions fast = WatchOptions.defaults()
                .initialDelay(Duration.ofMillis(5))
                .maxDelay(Duration.ofMillis(10))
                .jitter(0)
                .maxConsecutiveErrors(2)
                .notFoundGrace(Duration.ZERO);

        // name, credentials, what to run
        List<Scenario> scenarios = List.of(
                new Scenario("bearer-401-echo", bearer, c -> c.retrieve("zone-1", "task-1")),
                new Scenario("bearer-403-echo", bearer, c -> c.retrieve("zone-1", "task-1")),
                new Scenario("bearer-500-echo", bearer, c -> c.retrieve("zone-1", "task-1")),
                new Scenario("bearer-422-details-echo", bearer, c -> c.retrieve("zone-1", "task-1")),
                new Scenario("bearer-200-timestamp-echo", bearer, c -> c.retrieve("zone-1", "task-1")),
                new Scenario("bearer-200-raw-echo", bearer, c -> c.retrieve("zone-1", "task-1")),
                new Scenario("bearer-200-id-echo", bearer, c -> c.retrieve("zone-1", "task-1")),
                new Scenario("bearer-stall", bearer, c -> c.retrieve("zone-1", "task-1")),
                new Scenario("cc-token-401-echo", clientCredentials, c -> c.retrieve("zone-1", "task-1")),
                new Scenario("cc-token-500-echo", clientCredentials, c -> c.retrieve("zone-1", "task-1")),
                new Scenario("cc-500-echo", clientCredentials, c -> c.retrieve("zone-1", "task-1")),
                new Scenario("cc-401-echo", clientCredentials, c -> c.retrieve("zone-1", "task-1")),
                new Scenario(
                        "watch-bearer-500-echo",
                        bearer,
                        c -> TaskWatcher.create(c, fast)
                                .watch("zone-1", "task-1")
                                .then()),
                new Scenario(
                        "watch-bearer-403-echo",
                        bearer,
                        c -> TaskWatcher.create(c, fast)
                                .watch("zone-1", "task-1")
                                .then()),
                new Scenario(
                        "watch-cc-401-echo",
                        clientCredentials,
                        c -> TaskWatcher.create(c, fast)
                                .watch("zone-1", "task-1")
                                .then()),
                new Scenario(
                        "watch-cc-token-401-echo",
                        clientCredentials,
                        c -> TaskWatcher.create(c, fast).awaitCompleted("zone-1", "task-1")),
                new Scenario(
                        "watch-bearer-stall-timeout",
                        bearer,
                        c -> TaskWatcher.create(c, fast.timeout(Duration.ofMillis(300)))
                                .watch("zone-1", "task-1")
                                .then()),
                new Scenario(
                        "watch-bearer-404-echo",
                        bearer,
                        c -> TaskWatcher.create(c, fast).awaitTerminal("zone-1", "task-1")));

        for (Scenario s : scenarios) {
            CatalogTasksClient client = CatalogTasksClient.builder()
                    .baseUrl(base.resolve("/" + s.name))
                    .credentials(s.credentials)
                    .responseTimeout(Duration.ofMillis(500))
                    .build();
            try {
                System.out.println("SCENARIO " + s.name + " client=" + client);
                s.run.apply(client).block(WAIT);
                problems.add(s.name + ": did not fail");
            } catch (Throwable e) {
                exceptions += print(s.name, e);
            } finally {
                client.close();
            }
        }

        // A transport failure: nothing listens on the closed port the parent passed as a fifth argument.
        try (CatalogTasksClient refused = CatalogTasksClient.builder()
                .baseUrl(URI.create(args[4]))
                .credentials(bearer)
                .build()) {
            TaskWatcher watcher = TaskWatcher.create(refused, fast);
            System.out.println("SCENARIO connection-refused watcher=" + watcher + " options=" + fast);
            watcher.watch("zone-1", "task-1").blockLast(WAIT);
            problems.add("connection-refused: did not fail");
        } catch (Throwable e) {
            exceptions += print("connection-refused", e);
        }

        System.out.println("CREDENTIALS " + bearer + " " + clientCredentials);
        System.out.println("SCANNED exceptions=" + exceptions + " scenarios=" + (scenarios.size() + 1));
        problems.forEach(p -> System.out.println("PROBLEM " + p));
        System.out.flush();
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    /** Prints everything about {@code e} a user might log; returns how many throwables that was. */
    private static int print(String scenario, Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        System.out.println("EXCEPTION " + scenario + " message=" + e.getMessage());
        System.out.println("EXCEPTION " + scenario + " toString=" + e);
        System.out.println("EXCEPTION " + scenario + " trace=" + trace);
        int n = 0;
        for (Throwable t = e; t != null; t = t.getCause()) {
            n++;
            if (t instanceof CatalogApiException api) {
                System.out.println("FIELDS " + scenario + " code=" + api.codeValue() + " serverMessage="
                        + api.serverMessage() + " requestId=" + api.requestId() + " details=" + api.details());
                for (Warning.Detail d : api.details()) {
                    System.out.println("DETAIL " + scenario + " " + d);
                }
            }
            if (t instanceof WatchException watch) {
                System.out.println("LAST " + scenario + " lastTask=" + watch.lastTask() + " polls=" + watch.polls());
            }
        }
        return n;
    }

    private record Scenario(String name, Credentials credentials, Function<CatalogTasksClient, Mono<?>> run) {}
}
