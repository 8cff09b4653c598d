package io.infergate.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.DoublePredicate;

/**
 * The converters the section binders share, built on one {@link NodeReader}: bounded whole numbers,
 * durations in milliseconds, bounded decimals, enum choices, PEM files and priority class names.
 */
final class Converters {

    /** The longest duration most {@code *_ms} settings take: one hour. */
    static final long MAX_MILLIS = 3_600_000;
    static final String CERTIFICATE = "CERTIFICATE";
    static final String PRIVATE_KEY = "PRIVATE KEY";

    private final NodeReader reader;

    Converters(NodeReader reader) {
        this.reader = reader;
    }

    NodeReader reader() {
        return reader;
    }

    Problems problems() {
        return reader.problems();
    }

    /** A whole number within {@code [min, max]}. */
    NodeConverter<Integer> intIn(int min, int max) {
        return (node, path) -> reader.integer(node, path, min, max).map(Math::toIntExact);
    }

    /** Milliseconds from 1 to {@link #MAX_MILLIS}. */
    NodeConverter<Duration> millis() {
        return millisIn(1, MAX_MILLIS);
    }

    /** Milliseconds within {@code [min, max]}. */
    NodeConverter<Duration> millisIn(long min, long max) {
        return (node, path) -> reader.integer(node, path, min, max).map(Duration::ofMillis);
    }

    /** A number {@code >= 0} that also passes {@code allowed}, described by {@code range} in errors. */
    NodeConverter<Double> decimal(String range, DoublePredicate allowed) {
        return (node, path) -> reader.nonNegative(node, path).filter(value -> {
            boolean ok = allowed.test(value);
            if (!ok) {
                reader.problems().add(node, path, "expected a number " + range + ", found " + value);
            }
            return ok;
        });
    }

    <E extends Enum<E>> NodeConverter<E> choice(E[] values) {
        return (node, path) -> reader.choice(node, path, values);
    }

    /** A readable PEM file with a {@code block} block, e.g. {@link #CERTIFICATE}. */
    NodeConverter<Path> pem(String block) {
        return (node, path) -> reader.pemFile(node, path, block);
    }

    /** The name of one of {@code classes}. */
    NodeConverter<String> className(List<String> classes) {
        return nameAmong("the priority classes", classes);
    }

    /** One of {@code names}, which the error message calls {@code what}, e.g. {@code the engine profiles}. */
    NodeConverter<String> nameAmong(String what, List<String> names) {
        return (node, path) -> reader.name(node, path).filter(name -> {
            boolean known = names.contains(name);
            if (!known) {
                reader.problems().add(node, path, "expected one of " + what + " " + String.join(", ", names)
                        + ", found '" + name + "'" + Suggestions.didYouMean(name, names));
            }
            return known;
        });
    }
}
