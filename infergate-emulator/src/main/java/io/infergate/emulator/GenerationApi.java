package io.infergate.emulator;

/** The two OpenAI text-generation APIs, with the names their JSON objects carry. */
enum GenerationApi {

    CHAT("chat.completion", "chat.completion.chunk", "chatcmpl"),
    COMPLETION("text_completion", "text_completion", "cmpl");

    final String object;
    final String chunkObject;
    final String idPrefix;

    GenerationApi(String object, String chunkObject, String idPrefix) {
        this.object = object;
        this.chunkObject = chunkObject;
        this.idPrefix = idPrefix;
    }
}
