package dev.taskwatch.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.testing.Await;
import dev.taskwatch.testkit.CatalogSimulator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Closing the app with a watch live: the watch ends (its stream gets an {@code error} event and ends) before the web
 * server's graceful shutdown waits for open responses, no poll goes out after the close, and the client is closed.
 */
class GracefulShutdownTest {

    private static final String ZONE = "zone-1";

    @Test
    void closingTheAppEndsLiveStreamsAndPollsNoMore() throws Exception {
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        try (CatalogSimulator sim = CatalogSimulator.start()) {
            sim.task(ZONE, "slow").running(Duration.ofDays(365));
            ConfigurableApplicationContext app = new SpringApplicationBuilder(SpringSampleApplication.class)
                    .run(
                            "--server.port=0",
                            "--server.address=127.0.0.1",
                            // Long enough that a stream still open at the end would hold the close for all of it.
                            "--spring.lifecycle.timeout-per-shutdown-phase=30s",
                            "--taskwatch.base-url=" + sim.baseUrl());
            CatalogTasksClient client = app.getBean(CatalogTasksClient.class);
            String port = app.getEnvironment().getRequiredProperty("local.server.port");
            List<String> events = new CopyOnWriteArrayList<>();
            CountDownLatch ended = new CountDownLatch(1);
            Disposable stream = WebClient.create("http://127.0.0.1:" + port)
                    .get()
                    .uri("/zones/{zone}/tasks/{task}/events", ZONE, "slow")
                    .accept(MediaType.TEXT_EVENT_STREAM)
                    .retrieve()
                    .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {})
                    .doFinally(signal -> ended.countDown())
                    .subscribe(e -> events.add(e.event()));
            try {
                Await.until(() -> events.size() == 1, "the first event");

                long start = System.nanoTime();
                app.close();
                Duration closing = Duration.ofNanos(System.nanoTime() - start);
                int polls = sim.requests(ZONE, "slow").size();
                time.advanceTimeBy(Duration.ofDays(1));

                assertThat(ended.await(10, TimeUnit.SECONDS))
                        .as("the stream ended")
                        .isTrue();
                assertThat(events).containsExactly("running", "error");
                assertThat(polls).isEqualTo(1);
                assertThat(sim.requests(ZONE, "slow"))
                        .as("no poll after the close")
                        .hasSize(polls);
                assertThatThrownBy(() -> client.retrieve(ZONE, "slow").block(Duration.ofSeconds(10)))
                        .as("the client is closed")
                        .isInstanceOf(IllegalStateException.class);
                // Real time, with a wide margin: a stream left open would hold the close for the 30 s phase timeout.
                assertThat(closing).isLessThan(Duration.ofSeconds(15));
            } finally {
                stream.dispose();
                app.close();
            }
        } finally {
            VirtualTimeScheduler.reset();
        }
    }
}
