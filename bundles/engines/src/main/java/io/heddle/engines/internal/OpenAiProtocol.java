package io.heddle.engines.internal;

import io.heddle.api.chat.ChatConversation;
import io.heddle.api.chat.ChatMessage;
import io.heddle.api.chat.ChatRole;
import io.heddle.storage.internal.JsonFields;
import io.heddle.storage.internal.JsonTree;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The OpenAI-compatible Chat Completions protocol, spoken by OpenAI and by Ollama, LM Studio,
 * vLLM, LiteLLM, OpenRouter, Together, Groq and others: {@code POST {baseUrl}/chat/completions}
 * with {@code "stream": true}; the reply arrives as SSE {@code data:} frames holding
 * {@code choices[0].delta.content}, up to {@code data: [DONE]}.
 */
final class OpenAiProtocol implements ModelProtocol {

    static final String NAME = "openai";
    static final List<EngineSettings.SamplingKey> SAMPLING = List.of(
            new EngineSettings.SamplingKey("temperature", false, 0, 2),
            new EngineSettings.SamplingKey("topP", false, 0, 1),
            new EngineSettings.SamplingKey("maxTokens", true, 1, 10_000_000),
            new EngineSettings.SamplingKey("presencePenalty", false, -2, 2),
            new EngineSettings.SamplingKey("frequencyPenalty", false, -2, 2),
            new EngineSettings.SamplingKey("seed", true, -9.0e15, 9.0e15));
    private static final Map<String, String> WIRE = Map.of(
            "temperature",
            "temperature",
            "topP",
            "top_p",
            "maxTokens",
            "max_tokens",
            "presencePenalty",
            "presence_penalty",
            "frequencyPenalty",
            "frequency_penalty",
            "seed",
            "seed");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public URI endpoint(EngineSettings settings) {
        return URI.create(settings.baseUrl + "/chat/completions");
    }

    @Override
    public void headers(HttpRequest.Builder request, Optional<String> key, EngineSettings settings) {
        request.header("Content-Type", "application/json");
        request.header("Accept", "text/event-stream");
        key.ifPresent(k -> request.header("Authorization", "Bearer " + k));
    }

    @Override
    public byte[] body(EngineSettings settings, ChatConversation conversation) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", settings.model);
        root.put("stream", true);
        List<Object> messages = new ArrayList<>();
        if (settings.systemPrompt != null) {
            messages.add(Map.of("role", "system", "content", settings.systemPrompt));
        }
        for (ChatMessage m : ModelProtocol.dialogue(conversation)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("role", m.role() == ChatRole.ASSISTANT ? "assistant" : "user");
            entry.put("content", m.text());
            messages.add(entry);
        }
        root.put("messages", messages);
        settings.sampling.forEach((key, value) -> root.put(WIRE.get(key), value));
        return JsonTree.writeCompact(root).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public StreamReader reader(Consumer<String> chunks) {
        return new StreamReader() {
            private boolean done;
            private boolean finishReason;

            @Override
            public void frame(SseFrameParser.Frame frame) throws ModelStreamException {
                if (done) {
                    return;
                }
                if (frame.data().strip().equals("[DONE]")) {
                    done = true;
                    return;
                }
                Map<String, Object> root = ModelProtocol.json(NAME, frame);
                if (root.containsKey("error")) {
                    throw new ModelStreamException("the server reported an error in the middle of the reply: "
                            + ModelProtocol.errorDetail(frame.data().getBytes(StandardCharsets.UTF_8))
                                    .orElse("(no details)"));
                }
                List<Object> choices = JsonFields.array(root.get("choices"));
                if (choices == null) {
                    throw new ModelStreamException("the server sent a frame without 'choices' (not an OpenAI-"
                            + "compatible chat completion chunk)");
                }
                for (Object c : choices) {
                    Map<String, Object> choice = JsonFields.object(c);
                    if (choice == null) {
                        continue;
                    }
                    Object index = choice.get("index");
                    if (index instanceof Number && ((Number) index).intValue() != 0) {
                        continue;
                    }
                    Map<String, Object> delta = JsonFields.object(choice.get("delta"));
                    String content = delta == null ? null : JsonFields.string(delta, "content");
                    if (content != null && !content.isEmpty()) {
                        chunks.accept(content);
                    }
                    if (JsonFields.string(choice, "finish_reason") != null) {
                        finishReason = true;
                    }
                }
            }

            @Override
            public boolean finished() {
                // some servers end with a finish_reason and close without [DONE]
                return done || finishReason;
            }
        };
    }
}
