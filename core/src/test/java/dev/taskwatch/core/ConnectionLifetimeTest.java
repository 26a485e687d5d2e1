package dev.taskwatch.core;

import static dev.taskwatch.core.Fixtures.TASK;
import static dev.taskwatch.core.Fixtures.ZONE;
import static dev.taskwatch.core.Fixtures.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The two connection rules of DESIGN §6 that only show over time: an idle pooled connection is not reused after
 * {@code maxIdleTime} (stale keep-alive connections are the classic "connection prematurely closed"), and a connect
 * that gets no answer ends at the connect timeout.
 *
 * <p>Real time, necessarily: Reactor Netty's pool measures idle time and Netty its connect timeout on the wall clock,
 * and neither takes a clock we could replace. The waits are a few hundred milliseconds and every bound has a wide
 * margin.
 */
class ConnectionLifetimeTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @StartStop
    private final MockWebServer server = new MockWebServer();

    @Test
    void defaultIdleTimeIsBelowTypicalServerKeepAliveTimeouts() {
        // nginx, Envoy and most load balancers close idle keep-alive connections after 60 s or more.
        assertThat(CatalogTasksClient.Builder.DEFAULT_MAX_IDLE_TIME)
                .isEqualTo(Duration.ofSeconds(20))
                .isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void connectionIdleLongerThanMaxIdleTimeIsReplacedNotReused() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            server.enqueue(ok("running"));
        }
        try (CatalogTasksClient shortIdle = Fixtures.client(server)
                        .maxIdleTime(Duration.ofMillis(200))
                        .maxConnections(1)
                        .build();
                CatalogTasksClient defaultIdle =
                        Fixtures.client(server).maxConnections(1).build()) {
            shortIdle.retrieve(ZONE, TASK).block(WAIT);
            defaultIdle.retrieve(ZONE, TASK).block(WAIT);

            Mono.delay(Duration.ofMillis(700)).block(WAIT); // idle: past 200 ms, far below the default 20 s

            shortIdle.retrieve(ZONE, TASK).block(WAIT);
            defaultIdle.retrieve(ZONE, TASK).block(WAIT);
        }

        List<RecordedRequest> requests = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            requests.add(server.takeRequest());
        }
        // Requests 0 and 2 came from the short-idle client, 1 and 3 from the default one.
        assertThat(requests.get(2).getConnectionIndex())
                .as("the connection idle past maxIdleTime was closed, not reused")
                .isNotEqualTo(requests.get(0).getConnectionIndex());
        assertThat(requests.get(3).getConnectionIndex())
                .as("a connection idle less than the default maxIdleTime is reused")
                .isEqualTo(requests.get(1).getConnectionIndex());
    }

    @Test
    void connectThatGetsNoAnswerEndsAtTheConnectTimeout() throws IOException {
        // A listening socket that never accepts, its accept queue filled first: the kernel drops further SYNs, so
        // the client's connect hangs until its own timeout (a closed port would refuse at once instead).
        InetAddress loopback = InetAddress.getLoopbackAddress();
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 1, loopback)) {
            for (int i = 0; i < 4; i++) {
                Socket filler = new Socket();
                try {
                    filler.connect(new InetSocketAddress(loopback, silent.getLocalPort()), 200);
                    fillers.add(filler);
                } catch (IOException queueFull) {
                    filler.close();
                    break;
                }
            }
            URI base = URI.create("http://" + loopback.getHostAddress() + ":" + silent.getLocalPort() + "/");
            try (CatalogTasksClient client = CatalogTasksClient.builder()
                    .baseUrl(base)
                    .credentials(Credentials.none())
                    .connectTimeout(Duration.ofMillis(300))
                    .responseTimeout(Duration.ofSeconds(30))
                    .build()) {

                long start = System.nanoTime();
                Throwable e = catchThrowable(() -> client.retrieve(ZONE, TASK).block(Duration.ofSeconds(25)));
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                assertThat(e).isInstanceOf(CatalogTransportException.class).hasMessageContaining("connect");
                assertThat(((CatalogException) e).isTransient()).isTrue();
                // Ended by the connect timeout, not by the 30 s response timeout or the test's own bound. Not near
                // 300 ms: the client's first request also starts its event loops, seconds on a busy CI machine.
                assertThat(took).isLessThan(Duration.ofSeconds(20));
            }
        } finally {
            for (Socket filler : fillers) {
                filler.close();
            }
        }
    }
}
