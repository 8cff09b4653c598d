package io.infergate.gateway.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InferenceBodyReaderTest {

    private static InferenceBody read(String json) throws BadRequestException {
        return InferenceBodyReader.read(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheRoutingFieldsOnly() throws Exception {
        InferenceBody body = read("""
                {"messages":[{"role":"user","content":"hello world"}],"temperature":0.2,
                 "model":"m","stream":true,"stream_options":{"include_usage":true},"max_tokens":64,
                 "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]}""");

        assertThat(body.model()).isEqualTo("m");
        assertThat(body.stream()).isTrue();
        assertThat(body.includeUsage()).isTrue();
        assertThat(body.maxTokens()).isEqualTo(64);
        assertThat(body.promptBytes()).isEqualTo("[{\"role\":\"user\",\"content\":\"hello world\"}]".length());
    }

    @Test
    void maxCompletionTokensCountsAsMaxTokens() throws Exception {
        assertThat(read("{\"model\":\"m\",\"max_completion_tokens\":5}").maxTokens()).isEqualTo(5);
        assertThat(read("{\"model\":\"m\"}").maxTokens()).isEqualTo(-1);
    }

    @Test
    void notesATopLevelPriorityFieldButNotANestedOne() throws Exception {
        assertThat(read("{\"model\":\"m\",\"priority\":-5}").carriesPriority()).isTrue();
        assertThat(read("{\"model\":\"m\",\"priority\":null}").carriesPriority()).isTrue();
        assertThat(read("{\"model\":\"m\",\"metadata\":{\"priority\":1}}").carriesPriority()).isFalse();
    }

    @Test
    void rejectsWhatCannotBeRouted() {
        assertThatThrownBy(() -> read("[1,2]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> read("{\"model\":1}")).hasMessageContaining("'model' must be a string");
        assertThatThrownBy(() -> read("{\"model\":\"m\",\"max_tokens\":-3}")).hasMessageContaining("positive integer");
        assertThatThrownBy(() -> read("{\"model\":\"m\",\"max_tokens\":1.5}")).hasMessageContaining("1.5");
        assertThatThrownBy(() -> read("{\"model\":\"m\"} trailing")).hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> read("{\"model\":\"m\",}")).hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> read("")).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> read("{\"model\":\"m\",\"x\":" + "[".repeat(100) + "]".repeat(100) + "}"))
                .hasMessageContaining("malformed JSON");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"model\":5}                                        | field 'model' must be a string, found a number",
            "{\"model\":\"m\",\"max_tokens\":\"x\"}                   | field 'max_tokens' must be a positive integer, found a string",
            "{\"model\":\"m\",\"stream\":\"yes\"}                     | field 'stream' must be a boolean, found a string",
            "{\"model\":\"m\",\"messages\":\"hi\"}                    | field 'messages' must be an array, found a string",
            "{\"model\":\"m\",\"messages\":{\"role\":\"user\"}}         | field 'messages' must be an array, found an object",
            "{\"model\":\"m\",\"prompt\":7}                         | field 'prompt' must be a string or an array, found a number",
            "{\"model\":\"m\",\"input\":null}                       | field 'input' must be a string or an array, found null",
            "{\"model\":\"m\",\"stream_options\":[]}                | field 'stream_options' must be an object, found an array",
            "{\"model\":\"m\",\"stream_options\":{\"include_usage\":1}} | field 'stream_options.include_usage' must be a boolean, found a number",
    })
    void wrongTypesAreRejectedNamingTheFieldAndWhatWasFound(String json, String message) {
        assertThatThrownBy(() -> read(json)).isInstanceOf(BadRequestException.class).hasMessage(message);
    }

    @Test
    void promptAndInputMayBeAStringOrAnArray() throws Exception {
        assertThat(read("{\"model\":\"m\",\"prompt\":\"hello\"}").promptBytes()).isEqualTo(7);
        assertThat(read("{\"model\":\"m\",\"input\":[\"a\",\"b\"]}").promptBytes()).isEqualTo(9);
    }
}
