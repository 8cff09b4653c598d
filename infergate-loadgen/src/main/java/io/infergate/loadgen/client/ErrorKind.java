package io.infergate.loadgen.client;

import java.util.Locale;

/** Why a request failed, as counted in reports. */
public enum ErrorKind {
    /** The connection could not be opened (refused, unreachable, connect timeout). */
    CONNECT,
    /** No complete answer within the request timeout, counted from the intended send time. */
    TIMEOUT,
    /** The target answered 4xx. */
    HTTP_4XX,
    /** The target answered 5xx. */
    HTTP_5XX,
    /** A token stream ended without {@code data: [DONE]}, or its connection closed mid-stream. */
    STREAM_CUT,
    /** The connection failed after it was opened, before a complete non-streamed answer. */
    IO;

    /** The name used in reports, e.g. {@code http_5xx}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind for an HTTP error status. */
    public static ErrorKind ofStatus(int status) {
        if (status >= 500) {
            return HTTP_5XX;
        }
        if (status >= 400) {
            return HTTP_4XX;
        }
        throw new IllegalArgumentException("status: " + status + " (expected: 400-599)");
    }
}
