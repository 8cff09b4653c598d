package io.infergate.gateway.config;

import org.snakeyaml.engine.v2.nodes.Node;

import java.util.HashMap;
import java.util.Map;

/** Remembers where each value of one kind (pool names, endpoint ids, ...) first appeared and reports repeats. */
final class FirstSeen {

    private final String what;
    private final Problems problems;
    private final Map<String, Integer> firstLines = new HashMap<>();

    /** @param what how a value is named in messages, e.g. {@code pool name} */
    FirstSeen(String what, Problems problems) {
        this.what = what;
        this.problems = problems;
    }

    /** Claims {@code value}; returns false, and reports a duplicate at {@code at}, if it was claimed before. */
    boolean claim(String value, Node at, String field) {
        return claim(value, at, field, "");
    }

    /** As {@link #claim(String, Node, String)}, appending {@code hint} to the duplicate's message. */
    boolean claim(String value, Node at, String field, String hint) {
        Integer first = firstLines.putIfAbsent(value, Problems.line(at));
        if (first != null) {
            problems.add(at, field, "duplicate " + what + " '" + value + "' (first at line " + first + ")" + hint);
        }
        return first == null;
    }
}
