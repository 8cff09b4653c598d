package io.infergate.loadgen.client;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SseParserTest {

    @Test
    void yieldsEachEventsDataWhereverTheChunksAreCut() {
        String stream = "data: {\"a\":1}\n\n: comment\nevent: x\ndata: {\"b\":\r\ndata: 2}\r\n\r\ndata: [DONE]\n\n";
        for (int cut = 1; cut < stream.length(); cut++) {
            List<String> events = new ArrayList<>();
            SseParser parser = new SseParser(events::add);
            parser.feed(Buffer.buffer(stream.substring(0, cut)));
            parser.feed(Buffer.buffer(stream.substring(cut)));
            assertThat(events).as("cut at %d", cut).containsExactly("{\"a\":1}", "{\"b\":\n2}", "[DONE]");
        }
    }

    @Test
    void anEventWithoutItsBlankLineIsNotYetDelivered() {
        List<String> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);
        parser.feed(Buffer.buffer("data: x\n"));
        assertThat(events).isEmpty();
        parser.feed(Buffer.buffer("\n"));
        assertThat(events).containsExactly("x");
    }

    @Test
    void contentChunksAreTokensAndRoleOrEmptyChunksAreNot() {
        assertThat(TokenChunks.hasContent("{\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}")).isTrue();
        assertThat(TokenChunks.hasContent("{\"choices\":[{\"text\" : \" a\"}]}")).isTrue();
        assertThat(TokenChunks.hasContent("{\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}")).isFalse();
        assertThat(TokenChunks.hasContent("{\"choices\":[{\"delta\":{\"content\":null}}]}")).isFalse();
        assertThat(TokenChunks.hasContent("{\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}")).isFalse();
        assertThat(TokenChunks.isDone(" [DONE]")).isTrue();
    }
}
