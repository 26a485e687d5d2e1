package dev.taskwatch.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import mockwebserver3.MockResponseBody;
import okio.Buffer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TaskDecoder}'s streaming decoder against the tree decoder it replaced ({@link TreeDecoderOracle}), on every
 * document the tests have: the fixtures, the bodies of {@link HostileResponseCorpusTest}'s corpus, the malformed
 * documents of {@link TaskJsonTest}, the variants below, and every truncation of the valid ones. Both must give the
 * same outcome: equal Tasks (number types and {@code BigDecimal} scales included), or the same error message, with two
 * differences by design: content after the object is named in our words rather than databind's, and a document with
 * several problems may be refused for another of them (the streaming decoder names the first it meets in document
 * order, the tree decoder the first in its own field order; listed in {@link #FIRST_PROBLEM_IN_DOCUMENT_ORDER}).
 */
class TaskDecoderDifferentialTest {

    /** Documents with more than one problem, where the two decoders name different ones. */
    private static final Set<String> FIRST_PROBLEM_IN_DOCUMENT_ORDER = Set.of(
            "fixture error-validation.json" // status 422 is not a string; the tree decoder first misses the id
            );

    private static final String T = "\"id\":\"t\",\"status\":\"running\"";

    /** Shapes the other sources do not reach: number kinds, nulls, duplicates and nesting in every place. */
    private static final List<String> VARIANTS = List.of(
            "{" + T + ",\"package_version\":12.0}",
            "{" + T + ",\"package_version\":-0}",
            "{" + T + ",\"package_version\":1.5e-3}",
            "{" + T + ",\"package_version\":123456789012345678901234567890}",
            "{" + T + ",\"package_version\":null,\"install_id\":null,\"operation\":null}",
            "{" + T + ",\"links\":[{\"href\":\"#a\",\"rel\":\"r\",\"properties\":{\"i\":1,\"l\":9223372036854775807,"
                    + "\"b\":9223372036854775808,\"f\":0.10,\"e\":1E+2,\"z\":-0.0,\"s\":\"\",\"t\":false,\"n\":null,"
                    + "\"a\":[[],{},[1,[2,{\"k\":[null]}]]],\"o\":{\"p\":{\"q\":{}}}},\"titles\":{}}]}",
            "{" + T + ",\"links\":[{\"href\":\"#a\",\"rel\":\"r\",\"properties\":null,\"titles\":null,\"type\":null}]}",
            "{" + T + ",\"links\":[]}",
            "{" + T + ",\"links\":[null]}",
            "{" + T + ",\"links\":[{\"href\":\"#a\",\"rel\":\"r\"},7]}",
            "{" + T + ",\"links\":[{\"href\":\"#a\",\"rel\":\"r\",\"properties\":[]}]}",
            "{" + T + ",\"links\":[{\"href\":\"#a\",\"rel\":\"r\",\"titles\":{\"en\":null}}]}",
            "{" + T + ",\"links\":[{\"href\":\"#a\",\"rel\":\"r\",\"titles\":[\"en\"]}]}",
            "{" + T + ",\"links\":[{\"href\":\"#a\",\"rel\":\"r\",\"properties\":{\"k\":1,\"k\":2}}]}",
            "{" + T + ",\"links\":[{\"href\":\"#a\",\"rel\":\"r\",\"titles\":{\"en\":\"a\",\"en\":\"b\"}}]}",
            "{" + T + ",\"links\":[{\"href\":null,\"rel\":\"r\"}]}",
            "{" + T + ",\"links\":[{\"href\":\"#a\",\"rel\":\"r\",\"x\":{\"deep\":[1,{\"a\":[]}]}}]}",
            "{" + T + ",\"warnings\":[{}]}",
            "{" + T + ",\"warnings\":[null]}",
            "{" + T + ",\"warnings\":[{\"details\":[null]}]}",
            "{" + T + ",\"warnings\":[{\"details\":[{\"code\":7}]}]}",
            "{" + T + ",\"warnings\":[{\"status\":409.0}]}",
            "{" + T + ",\"warnings\":[{\"status\":2147483648}]}",
            "{" + T + ",\"warnings\":[{\"status\":-2147483648,\"timestamp\":null,\"code\":null}]}",
            "{" + T + ",\"warnings\":[{\"timestamp\":\"2026-02-30T00:00:00Z\"}]}",
            "{" + T + ",\"unknown\":{\"a\":1,\"a\":2}}",
            "{" + T + ",\"unknown\":[{\"a\":1},{\"a\":1}]}",
            "{" + T + ",\"unknown\":{\"a\":[1,2,{\"b\":{\"c\":[true,false,null,\"x\",1.5]}}]}}",
            "{" + T + ",\"x\":1,\"x\":2}",
            "{\"status\":\"running\",\"id\":\"t\",\"status\":\"running\"}",
            "{\"id\":\"\",\"status\":\"\"}",
            "{\"id\":\"t\\u0041\",\"status\":\"run\\u006eing\",\"operation\":\"cre\\u0061te\"}",
            "{\"id\":\"t\",\"status\":\"running\",\"operation\":\"Create\"}",
            "{" + T + ",\"created_at\":\"2026-03-01T10:00:00.000000001Z\",\"updated_at\":\"0001-01-01T00:00:00Z\"}",
            "{" + T + ",\"created_at\":\"2024-02-29T23:59:59.999999999z\",\"updated_at\":\"9999-12-31T23:59:59Z\"}",
            "{" + T + ",\"created_at\":\"2026-03-01T10:00:60Z\"}",
            "{" + T + ",\"created_at\":\"2026-03-01T10:00:00.Z\"}",
            "{" + T + ",\"created_at\":\"2026-03-01T10:00:00.1234567890Z\"}",
            "{" + T + ",\"created_at\":\"2026-03-01 10:00:00Z\"}",
            "{" + T + ",\"links\":[{\"href\":\"#a\",\"rel\":\"r\",\"properties\":{\"p\":" + "[".repeat(498)
                    + "]".repeat(498) + "}}]}",
            "{" + T + ",\"links\":[{\"href\":\"#a\",\"rel\":\"r\",\"properties\":{\"p\":" + "[".repeat(499)
                    + "]".repeat(499) + "}}]}",
            "{" + T + ",\"x\":" + "{\"a\":".repeat(499) + "1" + "}".repeat(499) + "}",
            "{" + T + ",\"x\":\"" + "y".repeat(100_000) + "\"}",
            " \t\r\n{" + T + "} \n",
            "{" + T + "}\u0000",
            "{" + T + "}]",
            "{" + T + ",}",
            "{" + T + "",
            "{\"id\" \"t\"}",
            "true",
            "{}",
            "[]");

    static Stream<Arguments> documents() {
        List<Arguments> out = new ArrayList<>();
        for (String fixture : List.of(
                "task-pending.json",
                "task-running-all-fields.json",
                "task-completed-delete.json",
                "task-failed.json",
                "task-every-warning-code.json",
                "task-unknown-values.json",
                "error-validation.json",
                "malformed-array-root.json",
                "malformed-duplicate-keys.json",
                "malformed-missing-id.json",
                "malformed-missing-status.json",
                "malformed-truncated.json",
                "malformed-wrong-types.json")) {
            out.add(arguments("fixture " + fixture, utf8(Fixtures.read(fixture))));
        }
        HostileResponseCorpusTest.corpus().forEach(c -> {
            MockResponseBody body = c.response.getBody();
            if (body != null && body.getContentLength() >= 0 && body.getContentLength() <= 2 * 1024 * 1024) {
                out.add(arguments("corpus " + c, bytes(body)));
            }
        });
        TaskJsonTest.malformedDocuments()
                .forEach(a -> out.add(arguments("malformed " + a.get()[0], utf8((String) a.get()[0]))));
        for (int i = 0; i < VARIANTS.size(); i++) {
            out.add(arguments("variant " + i, utf8(VARIANTS.get(i))));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void decodesEachDocumentLikeTheTreeDecoder(String name, byte[] json) {
        Outcome expected = oracle(json);
        Outcome actual = outcome(() -> TaskDecoder.decodeTask(json));

        if (FIRST_PROBLEM_IN_DOCUMENT_ORDER.contains(name)) {
            assertThat(actual.error()).isNotNull().isNotEqualTo(expected.error());
            assertThat(expected.error()).isNotNull();
        } else {
            assertThat(actual).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void readsEachDocumentAsAnErrorBodyLikeTheTreeDecoder(String name, byte[] json) {
        assertThat(ApiErrors.decodeLeniently(json, 0, json.length))
                .isEqualTo(TreeDecoderOracle.decodeErrorLeniently(json));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void everyTruncationFailsLikeTheTreeDecoder(String name, byte[] json) {
        if (oracle(json).task() == null || json.length > 20_000) {
            return; // only whole, valid documents of a size worth cutting at every byte
        }
        int end = json.length;
        while (end > 0 && Character.isWhitespace(json[end - 1])) {
            end--; // cut inside the object: without its trailing whitespace a document is still whole
        }
        for (int length = 0; length < end; length++) {
            byte[] cut = Arrays.copyOf(json, length);
            Outcome expected = oracle(cut);
            assertThat(outcome(() -> TaskDecoder.decodeTask(cut)))
                    .as("cut after %d bytes", length)
                    .isEqualTo(expected)
                    .satisfies(o -> assertThat(o.error()).isNotNull());
        }
    }

    @Test
    void fastTimestampsAgreeWithTheFormatter() {
        SplittableRandom random = new SplittableRandom(42);
        DateTimeFormatter[] shapes = {
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX"),
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SXXX"),
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX"),
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX")
        };
        long min = Instant.parse("0001-01-02T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-30T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(min, max + 1), random.nextInt(1_000_000_000));
            ZoneOffset offset =
                    i % 3 == 0 ? ZoneOffset.UTC : ZoneOffset.ofTotalSeconds(60 * random.nextInt(-1079, 1080));
            String wire = shapes[i % shapes.length].format(instant.atOffset(offset));

            assertThat(parse(wire))
                    .as(wire)
                    .isEqualTo(OffsetDateTime.parse(wire).toInstant());
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-03-01T10:00:00+17:59",
                "2026-03-01T10:00:00-17:59",
                "2026-03-01T10:00:00+18:00",
                "2026-03-01T10:00:00-18:00",
                "2026-03-01T10:00:00+18:01",
                "2026-03-01T10:00:00+24:00",
                "2026-03-01T10:00:00+01:60",
                "2026-03-01T10:00:00-00:00",
                "2026-03-01T10:00:00+0200",
                "2026-03-01T10:00:00+02:0",
                "2026-03-01T10:00:00+2:00",
                "2026-03-01T10:00:00 +01:00",
                "2026-03-01T10:00:00+01:00Z",
                "2026-03-01T10:00:00.+02:00",
                "2026-03-01T10:00:00.1234567890+02:00",
                "2026-03-01T10:00:00.123456789+02:00",
                "2026-02-29T10:00:00+01:00",
                "2024-02-29T23:30:00-01:00",
                "2026-03-01t10:00:00z",
                "0000-01-01T00:00:00+01:00",
                "2026-03-01T24:00:00Z",
                "2026-03-01T10:60:00Z",
                "2026-03-01T10:00:60+01:00",
                "2026-13-01T00:00:00+01:00",
                "2026-00-01T00:00:00Z",
                "2026-03-00T00:00:00Z",
                "+2026-03-01T00:00:00Z",
                "2026-03-01T10:00:00.5Z",
                "2026-03-01T10:00:00,5Z"
            })
    void fastTimestampPathAcceptsAndRefusesLikeTheFormatter(String wire) {
        Instant expected;
        try {
            expected = OffsetDateTime.parse(wire.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            expected = null;
        }
        Instant actual;
        try {
            actual = StrictJson.parseTimestamp(wire, "t");
        } catch (StrictJson.MalformedException e) {
            actual = null;
        }

        assertThat(actual).isEqualTo(expected);
    }

    // ---------------------------------------------------------------- support

    /** A Task or the message it was refused with; anything else thrown fails the test. */
    record Outcome(@Nullable Task task, @Nullable String error) {}

    interface Decode {
        Task run() throws StrictJson.MalformedException;
    }

    /** The oracle's outcome, its message for content after the object in our words. */
    private static Outcome oracle(byte[] json) {
        Outcome o = outcome(() -> TreeDecoderOracle.decodeTask(json));
        return o.error() != null && o.error().startsWith("not valid JSON: Trailing token")
                ? new Outcome(null, "not valid JSON: more content after the object")
                : o;
    }

    static Outcome outcome(Decode decode) {
        try {
            return new Outcome(decode.run(), null);
        } catch (StrictJson.MalformedException e) {
            return new Outcome(null, e.getMessage());
        }
    }

    private static Instant parse(String wire) {
        try {
            return StrictJson.parseTimestamp(wire, "t");
        } catch (StrictJson.MalformedException e) {
            throw new AssertionError(wire, e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(MockResponseBody body) {
        try (Buffer buffer = new Buffer()) {
            body.writeTo(buffer);
            return Objects.requireNonNull(buffer.readByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
