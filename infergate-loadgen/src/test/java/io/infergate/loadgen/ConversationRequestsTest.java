package io.infergate.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.loadgen.scenario.Conversation;
import io.infergate.loadgen.scenario.Distribution;
import io.infergate.loadgen.scenario.EndpointKind;
import io.infergate.loadgen.scenario.RequestClass;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConversationRequestsTest {

    private static final URI TARGET = URI.create("http://127.0.0.1:8080");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RequestClass turns(int conversations, int turns) {
        return RequestClass.builder("chat", "m").prompt(new Distribution.Fixed(20)).output(new Distribution.Fixed(10))
                .conversation(new Conversation(conversations, 100, turns)).build();
    }

    private static List<JsonNode> messagesOfRequests(RequestClass c, int count) throws Exception {
        RequestFactory factory = new RequestFactory(List.of(c), 7);
        List<JsonNode> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            messages.add(JSON.readTree(factory.create(0, TARGET).body().toString()).path("messages"));
        }
        return messages;
    }

    @Test
    void eachTurnResendsTheConversationSoFarAfterTheSharedSystemPrompt() throws Exception {
        List<JsonNode> requests = messagesOfRequests(turns(2, 8), 4);   // turns 1 and 2 of conversations A and B

        JsonNode firstOfA = requests.get(0);
        JsonNode firstOfB = requests.get(1);
        JsonNode secondOfA = requests.get(2);
        assertThat(firstOfA).hasSize(2);
        assertThat(firstOfA.get(0).path("role").asText()).isEqualTo("system");
        assertThat(firstOfA.get(0).path("content").asText().split(" ")).hasSize(100);
        assertThat(firstOfB.get(0)).as("one system prompt for all").isEqualTo(firstOfA.get(0));
        assertThat(firstOfB.get(1)).as("conversations differ after it").isNotEqualTo(firstOfA.get(1));
        assertThat(secondOfA).hasSize(4);
        assertThat(secondOfA.get(1)).as("the first turn, resent as it was").isEqualTo(firstOfA.get(1));
        assertThat(secondOfA.get(2).path("role").asText()).isEqualTo("assistant");
        assertThat(secondOfA.get(2).path("content").asText().split(" ")).hasSize(10);
        assertThat(secondOfA.get(3).path("role").asText()).isEqualTo("user");
        assertThat(secondOfA.get(3).path("content").asText().split(" ")).hasSize(20);
    }

    @Test
    void aConversationStartsAgainAfterItsLastTurn() throws Exception {
        List<JsonNode> requests = messagesOfRequests(turns(1, 2), 3);

        assertThat(requests.get(1)).hasSize(4);
        assertThat(requests.get(2)).hasSize(2);
        assertThat(requests.get(2).get(1)).isNotEqualTo(requests.get(0).get(1));
    }

    @Test
    void onlyChatClassesCanBeConversations() {
        assertThatThrownBy(() -> turns(1, 2).toBuilder().endpoint(EndpointKind.COMPLETIONS).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conversation of class 'chat'").hasMessageContaining("expected: chat");
    }
}
