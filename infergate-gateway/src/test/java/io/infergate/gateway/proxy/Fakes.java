package io.infergate.gateway.proxy;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.function.Function;

/**
 * Stand-ins for the Vert.x HTTP interfaces an exchange uses, without sockets: each answers the methods in
 * its map by name ({@link #SELF} for itself), returns itself from the fluent ones it does not name, and
 * fails on any other, so that a
 * test sees at once when the exchange starts using something the stand-in does not model.
 */
final class Fakes {

    /** What an answer returns for a fluent method: the stand-in itself. */
    static final Object SELF = new Object();

    private Fakes() {
    }

    static <T> T of(Class<T> type, Map<String, Function<Object[], Object>> answers) {
        Object[] self = new Object[1];
        InvocationHandler handler = (proxy, method, args) -> {
            Function<Object[], Object> answer = answers.get(method.getName());
            if (answer != null) {
                Object result = answer.apply(args == null ? new Object[0] : args);
                return result == SELF ? proxy : result;
            }
            return switch (method.getName()) {
                case "toString" -> type.getSimpleName() + " stand-in";
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> {
                    if (method.getReturnType().isAssignableFrom(type)) {
                        yield self[0];
                    }
                    throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName());
                }
            };
        };
        T fake = type.cast(Proxy.newProxyInstance(Fakes.class.getClassLoader(), new Class<?>[] {type}, handler));
        self[0] = fake;
        return fake;
    }
}
