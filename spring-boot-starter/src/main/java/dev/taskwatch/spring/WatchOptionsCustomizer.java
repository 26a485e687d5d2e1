package dev.taskwatch.spring;

import dev.taskwatch.reactor.WatchOptions;

/**
 * Adjusts the {@link WatchOptions} of the auto-configured {@code TaskWatcher} beyond what {@code taskwatch.watch.*}
 * properties express, such as the source of {@code X-Client-Request-ID} values or the scheduler. Every bean of this
 * type is applied after the properties, in {@link org.springframework.core.annotation.Order} order; the last one to
 * set an option wins.
 *
 * <pre>{@code
 * @Bean
 * WatchOptionsCustomizer requestIdsNamingThisApp() {
 *     return options -> options.clientRequestIds(() -> "billing-" + UUID.randomUUID());
 * }
 * }</pre>
 *
 * <p>Declaring one keeps the auto-configured watcher, with its metrics and its shutdown; declaring a
 * {@code TaskWatcher} bean replaces all of that.
 */
@FunctionalInterface
public interface WatchOptionsCustomizer {

    /**
     * Returns the options to use, usually {@code options} with some setters applied ({@link WatchOptions} is
     * immutable).
     *
     * @param options the options so far: the {@code taskwatch.watch.*} properties over {@link WatchOptions#defaults()},
     *     then every customizer ordered before this one
     * @return the options to use, not {@code null}: a {@code null} fails the creation of the watcher, naming this
     *     customizer
     */
    WatchOptions customize(WatchOptions options);
}
