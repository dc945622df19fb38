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
 * Anthropic's Messages protocol: {@code POST {baseUrl}/v1/messages} with {@code "stream": true}
 * and the headers {@code x-api-key} and {@code anthropic-version}. The reply arrives as named
 * SSE events: {@code message_start}, {@code content_block_start}, {@code content_block_delta}
 * ({@code text_delta}), {@code content_block_stop}, {@code message_delta},
 * {@code message_stop}, {@code ping}, and {@code error}; unknown events are skipped, as
 * Anthropic asks.
 */
final class AnthropicProtocol implements ModelProtocol {

    static final String NAME = "anthropic";
    static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
    static final String DEFAULT_VERSION = "2023-06-01";
    static final long DEFAULT_MAX_TOKENS = 1024;
    static final List<EngineSettings.SamplingKey> SAMPLING = List.of(
            new EngineSettings.SamplingKey("temperature", false, 0, 1),
            new EngineSettings.SamplingKey("topP", false, 0, 1),
            new EngineSettings.SamplingKey("topK", true, 1, 1_000_000),
            new EngineSettings.SamplingKey("maxTokens", true, 1, 10_000_000));
    private static final Map<String, String> WIRE =
            Map.of("temperature", "temperature", "topP", "top_p", "topK", "top_k", "maxTokens", "max_tokens");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public URI endpoint(EngineSettings settings) {
        return URI.create(settings.baseUrl + "/v1/messages");
    }

    @Override
    public void headers(HttpRequest.Builder request, Optional<String> key, EngineSettings settings) {
        request.header("Content-Type", "application/json");
        request.header("Accept", "text/event-stream");
        request.header("anthropic-version", settings.extra.getOrDefault("anthropicVersion", DEFAULT_VERSION));
        key.ifPresent(k -> request.header("x-api-key", k));
    }

    @Override
    public byte[] body(EngineSettings settings, ChatConversation conversation) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", settings.model);
        root.put("max_tokens", settings.sampling.getOrDefault("maxTokens", DEFAULT_MAX_TOKENS));
        root.put("stream", true);
        if (settings.systemPrompt != null) {
            root.put("system", settings.systemPrompt);
        }
        // The Messages API starts with a user turn; consecutive turns of one role are joined.
        List<Object> messages = new ArrayList<>();
        String role = null;
        StringBuilder text = null;
        for (ChatMessage m : ModelProtocol.dialogue(conversation)) {
            String r = m.role() == ChatRole.ASSISTANT ? "assistant" : "user";
            if (role == null && r.equals("assistant")) {
                continue;
            }
            if (r.equals(role)) {
                text.append("\n\n").append(m.text());
                continue;
            }
            if (role != null) {
                messages.add(Map.of("role", role, "content", text.toString()));
            }
            role = r;
            text = new StringBuilder(m.text());
        }
        if (role != null) {
            messages.add(Map.of("role", role, "content", text.toString()));
        }
        root.put("messages", messages);
        settings.sampling.forEach((key, value) -> {
            if (!key.equals("maxTokens")) {
                root.put(WIRE.get(key), value);
            }
        });
        return JsonTree.writeCompact(root).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public StreamReader reader(Consumer<String> chunks) {
        return new StreamReader() {
            private boolean started;
            private boolean stopped;

            @Override
            public void frame(SseFrameParser.Frame frame) throws ModelStreamException {
                if (stopped) {
                    return;
                }
                Map<String, Object> root = ModelProtocol.json(NAME, frame);
                String type = JsonFields.string(root, "type");
                String event = frame.event().equals("message") && type != null ? type : frame.event();
                switch (event) {
                    case "message_start":
                        started = true;
                        break;
                    case "content_block_delta": {
                        Map<String, Object> delta = JsonFields.object(root.get("delta"));
                        if (delta == null) {
                            throw new ModelStreamException("the server sent a content_block_delta without a delta");
                        }
                        if ("text_delta".equals(JsonFields.string(delta, "type"))) {
                            String t = JsonFields.string(delta, "text");
                            if (t == null) {
                                throw new ModelStreamException("the server sent a text_delta without text");
                            }
                            chunks.accept(t);
                        }
                        break;
                    }
                    case "message_stop":
                        stopped = true;
                        break;
                    case "error":
                        throw new ModelStreamException("the server reported an error in the middle of the reply: "
                                + ModelProtocol.errorDetail(frame.data().getBytes(StandardCharsets.UTF_8))
                                        .orElse("(no details)"));
                    case "ping":
                    case "content_block_start":
                    case "content_block_stop":
                    case "message_delta":
                    default:
                        break;
                }
            }

            @Override
            public boolean finished() {
                return started && stopped;
            }
        };
    }
}
