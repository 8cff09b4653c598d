package io.infergate.gateway.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Header names the gateway sets, and the copying of end-to-end headers between hops. Copying drops
 * hop-by-hop headers, those a {@code Connection} header names, HTTP/2 pseudo-headers, and any header
 * whose name or value holds a control character (CR, LF, NUL...), so nothing a client sends can add
 * a header line or change the framing of the request to the endpoint, nor the answer to the client.
 */
public final class Headers {

    /** The id of the endpoint that served the request. */
    public static final String ENDPOINT = "x-infergate-endpoint";
    /** The model that served the request: the one asked for, an alias's model, or a fallback. */
    public static final String MODEL = "x-infergate-model";
    /** The gateway's id for the request, also sent to the endpoint. */
    public static final String REQUEST_ID = "x-infergate-request-id";
    /** The priority class the client asks for, e.g. {@code critical}. */
    public static final String PRIORITY = "x-infergate-priority";
    /** The client's tenant, until API keys name it. */
    public static final String TENANT = "x-infergate-tenant";
    /** How long, in milliseconds from arrival, the request may wait for capacity. */
    public static final String DEADLINE_MS = "x-infergate-deadline-ms";

    /** Hop-by-hop headers (RFC 9110 §7.6.1) and those the HTTP client sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of(
            "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te",
            "trailer", "transfer-encoding", "upgrade", "host", "content-length", "http2-settings");

    private Headers() {
    }

    /** Copies end-to-end headers from {@code from} to {@code to}. */
    public static void copyEndToEnd(MultiMap from, MultiMap to) {
        Set<String> namedByConnection = connectionOptions(from);
        for (Map.Entry<String, String> header : from) {
            String name = header.getKey();
            String lower = name.toLowerCase(Locale.ROOT);
            if (!NOT_FORWARDED.contains(lower) && !namedByConnection.contains(lower) && isToken(name)
                    && isFieldValue(header.getValue())) {
                to.add(name, header.getValue());
            }
        }
    }

    /** The header names listed in {@code Connection} (RFC 9110 §7.6.1): hop-by-hop by the sender's word. */
    private static Set<String> connectionOptions(MultiMap headers) {
        List<String> values = headers.getAll(HttpHeaders.CONNECTION);
        if (values.isEmpty()) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        for (String value : values) {
            for (String option : value.split(",")) {
                names.add(option.trim().toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /** An RFC 9110 token: visible ASCII except separators; rules out pseudo-headers and injected lines. */
    private static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** No control character but horizontal tab: no CR, LF or NUL to end a header line early. */
    private static boolean isFieldValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < ' ' && c != '\t' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
