package dev.taskwatch.core;

import static dev.taskwatch.core.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;

class TokenSourceTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @StartStop
    final MockWebServer server = new MockWebServer();

    private TokenSource tokens() {
        return new TokenSource(
                HttpClient.create(),
                Fixtures.baseUrl(server),
                (ClientCredentials) Credentials.clientCredentials("id", "secret"),
                1024 * 1024,
                TestClock.at(Instant.parse("2026-03-01T10:00:00Z")));
    }

    private void enqueueToken(String value) {
        server.enqueue(json(200, "{\"access_token\":\"" + value + "\",\"token_type\":\"bearer\",\"expires_in\":3600}"));
    }

    @Test
    void lateRefusalOfAnOlderTokenDoesNotKeepTheCurrentOneIfItWasRefused() {
        enqueueToken("t1");
        enqueueToken("t2");
        enqueueToken("t3");
        TokenSource tokens = tokens();

        TokenSource.Token first = tokens.token().block(WAIT);
        tokens.invalidate(first);
        TokenSource.Token second = tokens.token().block(WAIT);
        tokens.invalidate(second);
        tokens.invalidate(first); // a 401 for a request sent with the first token arrives late

        assertThat(tokens.token().block(WAIT).header()).isEqualTo("Bearer t3");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void refusingAnOlderTokenKeepsTheCurrentOne() {
        enqueueToken("t1");
        enqueueToken("t2");
        TokenSource tokens = tokens();

        TokenSource.Token first = tokens.token().block(WAIT);
        tokens.invalidate(first);
        TokenSource.Token second = tokens.token().block(WAIT);
        tokens.invalidate(first);

        assertThat(tokens.token().block(WAIT)).isSameAs(second);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void tokenToStringHidesTheValue() {
        enqueueToken("at-SECRET-value");

        assertThat(tokens().token().block(WAIT).toString()).doesNotContain("at-SECRET-value");
    }

    @Test
    void expiresInBeyondAYearIsCappedAtAYear() {
        server.enqueue(json(200, "{\"access_token\":\"t1\",\"expires_in\":1e30}"));
        server.enqueue(json(200, "{\"access_token\":\"t2\",\"expires_in\":1e30}"));
        TestClock clock = TestClock.at(Instant.parse("2026-03-01T10:00:00Z"));
        TokenSource tokens = tokens(clock);

        TokenSource.Token first = tokens.token().block(WAIT);
        clock.advance(Duration.ofDays(364));
        assertThat(tokens.token().block(WAIT)).isSameAs(first);
        clock.advance(Duration.ofDays(1));

        assertThat(tokens.token().block(WAIT).header()).isEqualTo("Bearer t2");
    }

    @Test
    void fractionalExpiresInCountsWholeSeconds() {
        server.enqueue(json(200, "{\"access_token\":\"t1\",\"expires_in\":90.9}"));
        server.enqueue(json(200, "{\"access_token\":\"t2\",\"expires_in\":90.9}"));
        TestClock clock = TestClock.at(Instant.parse("2026-03-01T10:00:00Z"));
        TokenSource tokens = tokens(clock);

        TokenSource.Token first = tokens.token().block(WAIT);
        clock.advance(Duration.ofSeconds(59)); // 90 s, refreshed 30 s early
        assertThat(tokens.token().block(WAIT)).isSameAs(first);
        clock.advance(Duration.ofSeconds(1));

        assertThat(tokens.token().block(WAIT).header()).isEqualTo("Bearer t2");
    }

    private TokenSource tokens(TestClock clock) {
        return new TokenSource(
                HttpClient.create(),
                Fixtures.baseUrl(server),
                (ClientCredentials) Credentials.clientCredentials("id", "secret"),
                1024 * 1024,
                clock);
    }
}
