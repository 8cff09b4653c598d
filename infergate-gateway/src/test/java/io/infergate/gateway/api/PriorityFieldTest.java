package io.infergate.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.core.flow.FlowPolicy;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code priority} field each pool's servers get: the class rank where declared, nothing elsewhere. */
class PriorityFieldTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PriorityField FIELD = new PriorityField(
            Map.of("vllm", ServerPriority.LOWER_FIRST, "sglang", ServerPriority.HIGHER_FIRST), FlowPolicy.defaults());

    @Test
    void aPoolWithLowerFirstSchedulingGetsTheClassRank() throws Exception {
        assertThat(sent("vllm", "{\"model\":\"m\",\"messages\":[]}", "critical").get("priority").asLong()).isZero();
        assertThat(sent("vllm", "{\"model\":\"m\",\"messages\":[]}", "standard").get("priority").asLong()).isEqualTo(1);
        assertThat(sent("vllm", "{\"model\":\"m\",\"messages\":[]}", "sheddable").get("priority").asLong()).isEqualTo(2);
    }

    @Test
    void aPoolWithHigherFirstSchedulingGetsTheRankNegated() throws Exception {
        assertThat(sent("sglang", "{\"model\":\"m\"}", "critical").get("priority").asLong()).isZero();
        assertThat(sent("sglang", "{\"model\":\"m\"}", "sheddable").get("priority").asLong()).isEqualTo(-2);
    }

    @Test
    void theClientsOwnPriorityIsOverwrittenInPlaceAndItsDuplicatesDropped() throws Exception {
        String body = "{\"model\":\"m\",\"priority\":-1000,\"stream\":true,\"priority\":-5}";

        Buffer sent = FIELD.bodyFor("vllm", Buffer.buffer(body), true, "sheddable");

        assertThat(sent.toString()).isEqualTo("{\"model\":\"m\",\"priority\":2,\"stream\":true}");
    }

    @Test
    void aPoolWithoutPrioritySchedulingGetsNoPriorityFieldEvenWhenTheClientSentOne() throws Exception {
        String body = "{\"model\":\"m\",\"priority\":-1000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\","
                + "\"priority\":1}]}";

        Buffer sent = FIELD.bodyFor("tgi", Buffer.buffer(body), true, "critical");

        // only the top-level field goes; a nested one is the client's content
        assertThat(sent.toString()).isEqualTo(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"priority\":1}]}");
    }

    @Test
    void aBodyWithoutThePriorityFieldGoesToAPoolWithoutPrioritySchedulingUntouched() {
        Buffer body = Buffer.buffer("{\"model\":\"m\"}");

        assertThat(FIELD.bodyFor("tgi", body, false, "critical")).isSameAs(body);
    }

    @Test
    void aPriorityKeySpelledWithAnEscapeIsSeenAndReplaced() throws Exception {
        byte[] body = "{\"model\":\"m\",\"priorit\\u0079\":-1000}".getBytes();
        InferenceBody read = InferenceBodyReader.read(body);

        Buffer sent = FIELD.bodyFor("vllm", Buffer.buffer(body), read.carriesPriority(), "sheddable");

        assertThat(read.carriesPriority()).isTrue();
        assertThat(sent.toString()).isEqualTo("{\"model\":\"m\",\"priority\":2}");
    }

    @Test
    void aModelIsRenamedInPlace() {
        byte[] renamed = BodyRewriter.withModel("{\"stream\":false,\"model\":\"alias\",\"n\":1}".getBytes(), "served");

        assertThat(new String(renamed)).isEqualTo("{\"stream\":false,\"model\":\"served\",\"n\":1}");
    }

    private static JsonNode sent(String pool, String body, String priorityClass) throws IOException {
        return JSON.readTree(FIELD.bodyFor(pool, Buffer.buffer(body), body.contains("priority"), priorityClass).getBytes());
    }
}
