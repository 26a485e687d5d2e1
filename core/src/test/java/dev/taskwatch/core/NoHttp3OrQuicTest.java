package dev.taskwatch.core;

import static dev.taskwatch.core.Fixtures.TASK;
import static dev.taskwatch.core.Fixtures.TASK_PATH;
import static dev.taskwatch.core.Fixtures.ZONE;
import static dev.taskwatch.core.Fixtures.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.taskwatch.core.testing.TestCertificates;
import io.netty.channel.epoll.Epoll;
import io.netty.handler.codec.quic.Quic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * core/pom.xml keeps HTTP/3 and the QUIC natives off the classpath (users inherit that). The client must still make
 * plain and TLS exchanges without them, and the jars must really be gone, or the exclusion is not doing its job.
 */
class NoHttp3OrQuicTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @StartStop
    final MockWebServer server = new MockWebServer();

    @Test
    void plainHttpExchangeWorksWithoutHttp3() throws InterruptedException {
        server.enqueue(ok("running"));
        try (CatalogTasksClient client = Fixtures.client(server).build()) {

            Task task = client.retrieve(ZONE, TASK).block(WAIT);

            assertThat(task.status()).isEqualTo(TaskStatus.RUNNING);
        }
        assertThat(server.takeRequest().getTarget()).isEqualTo(TASK_PATH);
    }

    @Test
    void tlsHandshakeRunsWithoutHttp3(@TempDir Path dir) throws Exception {
        // Reactor Netty's TLS client asks Quic.isAvailable() once when its TLS defaults are made: without the QUIC
        // classes that fails with NoClassDefFoundError instead of reaching the server. A self-signed certificate
        // makes the handshake end where the client checks trust, which is as far as TLS goes with the JDK's trust.
        Path store = new TestCertificates(dir).selfSigned("server", "localhost", "dns:localhost,ip:127.0.0.1");
        try (MockWebServer https = new MockWebServer()) {
            https.useHttps(TestCertificates.serverContext(store).getSocketFactory());
            https.start();
            try (CatalogTasksClient client = Fixtures.client(https).build()) {

                Throwable e = catchThrowable(() -> client.retrieve(ZONE, TASK).block(WAIT));

                assertThat(e)
                        .isInstanceOf(CatalogTransportException.class)
                        .hasMessageStartingWith("GET " + TASK_PATH + " failed: TLS handshake failed");
            }
        }
    }

    @Test
    void http3ClassesAreNotOnTheClasspath() {
        assertThatThrownBy(() -> Class.forName("io.netty.handler.codec.http3.Http3", false, loader()))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void quicNativesAreNotOnTheClasspath() {
        // The QUIC classes stay (see above), their natives (33 MB for five platforms) do not: QUIC cannot load.
        assertThat(Quic.isAvailable()).isFalse();
        assertThat(Quic.unavailabilityCause()).isInstanceOf(UnsatisfiedLinkError.class);
    }

    @Test
    void epollTransportIsStillThereOnLinux() {
        if (System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")) {
            assertThat(Epoll.isAvailable())
                    .as("epoll: %s", Epoll.unavailabilityCause())
                    .isTrue();
        }
    }

    private static ClassLoader loader() {
        return NoHttp3OrQuicTest.class.getClassLoader();
    }
}
