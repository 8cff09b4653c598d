package io.infergate.gateway.proxy;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Copying headers between hops never carries a header line break, a hop-by-hop header or a pseudo-header. */
class HeadersTest {

    @Test
    void controlCharactersInNamesOrValuesDropTheHeader() {
        MultiMap from = MultiMap.caseInsensitiveMultiMap()
                .add("x-crlf", "a\r\nInjected: yes")
                .add("x-lf", "a\nb")
                .add("x-nul", "a\u0000b")
                .add("x-bad name", "v")
                .add("x\r\ninjected", "v")
                .add(":authority", "evil")
                .add("x-tab", "a\tb")
                .add("x-ok", "plain value");
        MultiMap to = MultiMap.caseInsensitiveMultiMap();

        Headers.copyEndToEnd(from, to);

        assertThat(to.names()).containsExactlyInAnyOrder("x-tab", "x-ok");
    }

    @Test
    void headersNamedByConnectionAreHopByHop() {
        MultiMap from = MultiMap.caseInsensitiveMultiMap()
                .add("Connection", "keep-alive, X-Foo")
                .add("connection", "x-bar")
                .add("X-Foo", "1").add("x-bar", "2").add("Transfer-Encoding", "chunked").add("Content-Length", "7")
                .add("X-Kept", "3");
        MultiMap to = MultiMap.caseInsensitiveMultiMap();

        Headers.copyEndToEnd(from, to);

        assertThat(to.names()).containsExactly("X-Kept");
    }

    @Test
    void hopByHopHeadersAreDroppedWhateverTheirCaseAndLookalikesAreKept() {
        MultiMap from = MultiMap.caseInsensitiveMultiMap()
                .add("TE", "trailers").add("Keep-Alive", "timeout=5").add("HOST", "evil").add("Upgrade", "h2c")
                .add("x-te", "1").add("hosts", "2").add("Proxy-Authorization", "Basic x").add("Trailer", "x")
                .add("CONNECTION", "X-Dropped").add("x-dropped", "3").add("X-Authorization", "4");
        MultiMap to = MultiMap.caseInsensitiveMultiMap();

        Headers.copyEndToEnd(from, to);

        assertThat(to.names()).containsExactlyInAnyOrder("x-te", "hosts", "X-Authorization");
    }
}
