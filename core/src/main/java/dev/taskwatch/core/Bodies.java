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
     * The body, or a transient {@link CatalogProtocolException} as soon as it exceeds {@code cap}: a declared
     * {@code Content-Length} over the cap fails before reading, a longer stream fails at the chunk that crosses it.
     */
    static Mono<BodyBuffer> readCapped(HttpHeaders headers, ByteBufFlux body, int cap, Supplier<String> context) {
        long declared = declaredLength(headers);
        if (declared > cap) {
            return Mono.error(() -> tooLarge(cap, context));
        }
        return body.reduceWith(() -> new BodyBuffer(cap, declared), BodyBuffer::append)
                .onErrorMap(BodyBuffer.TooLargeException.class, e -> tooLarge(cap, context));
    }

    /**
     * As {@link #readCapped}, for a body that only adds detail to a status that is the answer by itself (an error
     * status, a 303): one over the cap reads as empty, so a large error page does not hide the status behind a
     * protocol error (a 403 from a proxy must stay a definite 403, not become a transient failure).
     */
    static Mono<BodyBuffer> readDetail(HttpHeaders headers, ByteBufFlux body, int cap) {
        return readCapped(headers, body, cap, () -> "")
                .onErrorResume(CatalogProtocolException.class, e -> Mono.just(BodyBuffer.empty()));
    }

    /** The declared {@code Content-Length}, or -1 when there is none. */
    private static long declaredLength(HttpHeaders headers) {
        String declared = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (declared != null) {
            try {
                return Long.parseLong(declared.trim());
            } catch (NumberFormatException ignored) {
                // Netty rejects a malformed Content-Length itself; nothing to add here.
            }
        }
        return -1;
    }

    private static CatalogProtocolException tooLarge(int cap, Supplier<String> context) {
        return new CatalogProtocolException(context.get() + " with a body over the " + cap + "-byte limit", null, true);
    }
}
