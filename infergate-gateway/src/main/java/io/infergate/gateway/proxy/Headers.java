package io.infergate.gateway.proxy;

import io.vertx.core.MultiMap;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Header names the gateway sets, and the copying of end-to-end headers between hops. */
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
        for (Map.Entry<String, String> header : from) {
            String name = header.getKey();
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                to.add(name, header.getValue());
            }
        }
    }
}
