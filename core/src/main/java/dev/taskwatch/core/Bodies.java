package dev.taskwatch.core;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;

/** Reads response bodies with a size cap enforced while reading. */
final class Bodies {

    private Bodies() {}

    /**
     * The body as bytes, or a transient {@link CatalogProtocolException} as soon as it exceeds {@code cap}: a declared
     * {@code Content-Length} over the cap fails before reading, a longer stream fails at the chunk that crosses it.
     * Each chunk is copied out as it arrives, so Netty's buffers are released by Reactor Netty right away.
     */
    static Mono<byte[]> readCapped(HttpHeaders headers, ByteBufFlux body, int cap, Supplier<String> context) {
        String declared = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > cap) {
                    return Mono.error(tooLarge(cap, context));
                }
            } catch (NumberFormatException ignored) {
                // Netty rejects a malformed Content-Length itself; nothing to add here.
            }
        }
        return body.asByteArray()
                .reduceWith(() -> new BodyBuffer(cap), BodyBuffer::append)
                .map(BodyBuffer::toBytes)
                .onErrorMap(BodyBuffer.TooLargeException.class, e -> tooLarge(cap, context));
    }

    /**
     * As {@link #readCapped}, for a body that only adds detail to a status that is the answer by itself (an error
     * status, a 303): one over the cap reads as empty, so a large error page does not hide the status behind a
     * protocol error (a 403 from a proxy must stay a definite 403, not become a transient failure).
     */
    static Mono<byte[]> readDetail(HttpHeaders headers, ByteBufFlux body, int cap) {
        return readCapped(headers, body, cap, () -> "")
                .onErrorResume(CatalogProtocolException.class, e -> Mono.just(new byte[0]));
    }

    private static CatalogProtocolException tooLarge(int cap, Supplier<String> context) {
        return new CatalogProtocolException(context.get() + " with a body over the " + cap + "-byte limit", null, true);
    }
}
