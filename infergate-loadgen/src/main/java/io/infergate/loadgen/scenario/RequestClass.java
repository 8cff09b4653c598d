package io.infergate.loadgen.scenario;

import java.util.Objects;
import java.util.Optional;

/**
 * One kind of request in a scenario's mix.
 *
 * <pre>{@code
 * RequestClass chat = RequestClass.builder("chat", "llama-3.1-8b-instruct")
 *         .share(0.8).prompt(new Distribution.Uniform(100, 400)).output(new Distribution.Normal(150, 40))
 *         .stream(true).priority("standard").slo(Slo.of(Duration.ofMillis(500), null))
 *         .build();
 * }</pre>
 *
 * @param name          label in reports
 * @param share         relative weight in the mix (shares need not sum to 1)
 * @param model         the {@code model} field sent
 * @param endpoint      chat or completions API
 * @param promptTokens  prompt length, in tokens
 * @param outputTokens  output length, sent as {@code max_tokens}
 * @param stream        whether to ask for a server-sent-event stream
 * @param priority      value of the {@code x-infergate-priority} header, or "" to send none
 * @param tenant        tenant label, reported with the class
 * @param apiKey        sent as {@code Authorization: Bearer <key>}, or "" to send none
 * @param slo           latency objective, for goodput
 * @param conversation  when present, requests are turns of multi-turn conversations (chat only)
 */
public record RequestClass(
        String name,
        double share,
        String model,
        EndpointKind endpoint,
        Distribution promptTokens,
        Distribution outputTokens,
        boolean stream,
        String priority,
        String tenant,
        String apiKey,
        Slo slo,
        Optional<Conversation> conversation) {

    /** The header carrying a request's priority class. */
    public static final String PRIORITY_HEADER = "x-infergate-priority";

    public RequestClass {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name: blank (expected: a label such as 'chat')");
        }
        if (!(share > 0) || Double.isInfinite(share)) {
            throw new IllegalArgumentException("share of class '" + name + "': " + share + " (expected: > 0)");
        }
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(promptTokens, "promptTokens");
        Objects.requireNonNull(outputTokens, "outputTokens");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(slo, "slo");
        Objects.requireNonNull(conversation, "conversation");
        if (conversation.isPresent() && endpoint != EndpointKind.CHAT) {
            throw new IllegalArgumentException("conversation of class '" + name + "': with endpoint " + endpoint
                    + " (expected: chat; a conversation is a list of messages)");
        }
    }

    public static Builder builder(String name, String model) {
        return new Builder(name, model);
    }

    /** A builder holding this class's fields, to change some of them. */
    public Builder toBuilder() {
        return new Builder(name, model).share(share).endpoint(endpoint).prompt(promptTokens).output(outputTokens)
                .stream(stream).priority(priority).tenant(tenant).apiKey(apiKey).slo(slo)
                .conversation(conversation.orElse(null));
    }

    /** Builds a {@link RequestClass}: chat, not streamed, 128 prompt and 64 output tokens, share 1, no SLO, single-turn. */
    public static final class Builder {
        private final String name;
        private final String model;
        private double share = 1;
        private EndpointKind endpoint = EndpointKind.CHAT;
        private Distribution promptTokens = new Distribution.Fixed(128);
        private Distribution outputTokens = new Distribution.Fixed(64);
        private boolean stream;
        private String priority = "";
        private String tenant = "";
        private String apiKey = "";
        private Slo slo = Slo.NONE;
        private Conversation conversation;

        private Builder(String name, String model) {
            this.name = name;
            this.model = model;
        }

        public Builder share(double share) {
            this.share = share;
            return this;
        }

        public Builder endpoint(EndpointKind endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        public Builder prompt(Distribution promptTokens) {
            this.promptTokens = promptTokens;
            return this;
        }

        public Builder output(Distribution outputTokens) {
            this.outputTokens = outputTokens;
            return this;
        }

        public Builder stream(boolean stream) {
            this.stream = stream;
            return this;
        }

        public Builder priority(String priority) {
            this.priority = priority;
            return this;
        }

        public Builder tenant(String tenant) {
            this.tenant = tenant;
            return this;
        }

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        public Builder slo(Slo slo) {
            this.slo = slo;
            return this;
        }

        /** Makes the class multi-turn; {@code null} for single requests. */
        public Builder conversation(Conversation conversation) {
            this.conversation = conversation;
            return this;
        }

        public RequestClass build() {
            return new RequestClass(name, share, model, endpoint, promptTokens, outputTokens, stream, priority,
                    tenant, apiKey, slo, Optional.ofNullable(conversation));
        }
    }
}
