package dev.taskwatch.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.CatalogTransportException;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.testing.TestCertificates;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

/**
 * Issue 6, TLS: an HTTPS server on loopback (Reactor Netty, certificates made by {@code keytool} at test time) whose
 * certificate the client must refuse. The watch ends at once with a definite (not transient) error, after exactly one
 * connection, and the bearer token appears nowhere in it.
 */
class TlsWatchTest {

    static final String TOKEN = "twTLSmarker4b7d";

    @TempDir
    static Path dir;

    private static Path selfSignedLocalhost;
    private static Path caSignedOtherHost;
    private static Path caSignedLocalhost;

    private final AtomicInteger connections = new AtomicInteger();
    private DisposableServer server;

    private final WatchOptions fast = WatchOptions.defaults()
            .initialDelay(Duration.ofMillis(5))
            .maxDelay(Duration.ofMillis(10))
            .jitter(0)
            .maxConsecutiveErrors(5);

    @BeforeAll
    static void makeCertificates() {
        TestCertificates certs = new TestCertificates(dir);
        selfSignedLocalhost = certs.selfSigned("self-signed", "localhost", "dns:localhost,ip:127.0.0.1");
        certs.authority("ca");
        certs.trustStore("ca");
        caSignedOtherHost = certs.signedBy("ca", "other", "other.example", "dns:other.example");
        caSignedLocalhost = certs.signedBy("ca", "good", "localhost", "dns:localhost,ip:127.0.0.1");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.disposeNow();
        }
    }

    /** Serves HTTPS with {@code keyStore}'s certificate; every task is completed (303), so a watch that got through would succeed. */
    private URI serve(Path keyStore) {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .secure(spec -> spec.sslContext(Http11SslContextSpec.forServer(TestCertificates.keyManagers(keyStore))))
                .doOnChannelInit((observer, channel, address) -> connections.incrementAndGet())
                .handle((req, res) -> res.status(303)
                        .header("Location", "/zones/zone-1/installs/inst-1")
                        .send())
                .bindNow();
        return URI.create("https://localhost:" + server.port());
    }

    private void expectDefiniteTlsFailure(URI base) {
        try (CatalogTasksClient client = CatalogTasksClient.builder()
                .baseUrl(base)
                .credentials(Credentials.bearer(TOKEN))
                .build()) {
            StepVerifier.create(TaskWatcher.create(client, fast).watch("zone-1", "task-1"))
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOfSatisfying(WatchException.class, w -> {
                            assertThat(w.isTransient()).as("transient").isFalse();
                            assertThat(w.polls()).as("polls").isEqualTo(1);
                            assertThat(w.lastTask()).isNull();
                        });
                        assertThat(e.getCause())
                                .isInstanceOf(CatalogTransportException.class)
                                .hasMessageStartingWith(
                                        "GET /zones/zone-1/catalog_tasks/task-1 failed: TLS handshake" + " failed: ");
                        assertThat(e.getMessage())
                                .contains("TLS handshake failed")
                                .doesNotContain(TOKEN);
                        assertThat(e.toString()).doesNotContain(TOKEN);
                    })
                    .verify(Duration.ofSeconds(20));
        }
        assertThat(connections.get()).as("connections: one attempt, no retry").isEqualTo(1);
    }

    @Test
    void selfSignedCertificateEndsTheWatchAtOnceWithoutRetrying() {
        expectDefiniteTlsFailure(serve(selfSignedLocalhost));
    }

    /**
     * A certificate issued for {@code other.example} by a CA the JVM does not trust, presented to a client that
     * connected to {@code localhost}. What fails here is the chain (PKIX: no path to a trusted root), checked before
     * the host name; the public API offers no way to trust a custom CA in-process, so the host name check itself is
     * covered by {@link #certificateForAnotherHostFailsEvenFromATrustedAuthority()}.
     */
    @Test
    void certificateForAnotherHostFromAnUntrustedAuthorityEndsTheWatchAtOnce() {
        expectDefiniteTlsFailure(serve(caSignedOtherHost));
    }

    /**
     * The host name check proper: a child JVM whose default trust store holds the test CA (the only way to trust it
     * without a trust-store option in our API) watches two servers whose certificates that CA signed. The one for
     * {@code localhost} succeeds, which shows the chain is trusted; the one for {@code other.example} fails the
     * handshake with the JDK's host name error, definitely and after one poll.
     */
    @Test
    void certificateForAnotherHostFailsEvenFromATrustedAuthority() throws Exception {
        URI good = serve(caSignedLocalhost);
        DisposableServer goodServer = server;
        URI other = serve(caSignedOtherHost);
        try {
            ChildJvm.Result child = ChildJvm.run(
                    TlsScenarios.class,
                    List.of(
                            "-Djavax.net.ssl.trustStore=" + dir.resolve("ca-trust.p12"),
                            "-Djavax.net.ssl.trustStorePassword=" + TestCertificates.PASSWORD,
                            "-Djavax.net.ssl.trustStoreType=PKCS12"),
                    List.of(good.toString(), other.toString()),
                    Path.of("target", "tls-hostname.log"));

            assertThat(child.exitCode()).isZero();
            assertThat(child.output())
                    .contains("RESULT " + good + " ok completed")
                    .contains("RESULT " + other + " error transient=false polls=1 cause=CatalogTransportException")
                    .containsPattern("RESULT " + other + " .*TLS handshake failed: .*No subject alternative DNS name"
                            + " matching localhost")
                    .doesNotContain(TOKEN);
        } finally {
            goodServer.disposeNow();
        }
    }
}
