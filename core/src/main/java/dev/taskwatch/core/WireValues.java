package dev.taskwatch.core;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The one mapping between the API's enum strings and our enums ({@link TaskStatus}, {@link TaskOperation},
 * {@link ErrorCode}): each constant names its wire value, and a value no constant names is the enum's {@code UNKNOWN}.
 */
final class WireValues {

    private WireValues() {}

    /** The constant whose wire value is {@code value}; {@code unknown} for anything else, including {@code null}. */
    static <E extends Enum<E>> E fromWire(
            E[] constants, Function<E, @Nullable String> wireValue, @Nullable String value, E unknown) {
        if (value != null) {
            for (E constant : constants) {
                if (value.equals(wireValue.apply(constant))) {
                    return constant;
                }
            }
        }
        return unknown;
    }

    /** Every wire value of {@code constants}, in declaration order; {@code UNKNOWN}'s absent one left out. */
    static <E extends Enum<E>> String[] all(E[] constants, Function<E, @Nullable String> wireValue) {
        return Arrays.stream(constants).map(wireValue).filter(Objects::nonNull).toArray(String[]::new);
    }
}
