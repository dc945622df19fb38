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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** One model server protocol: how to ask for a streamed reply and how to read it. */
interface ModelProtocol {

    /** The protocol's name in settings and listings: {@code openai} or {@code anthropic}. */
    String name();

    /** The URL to post the request to. */
    URI endpoint(EngineSettings settings);

    /** Adds the protocol's headers, among them the key when there is one. */
    void headers(HttpRequest.Builder request, Optional<String> key, EngineSettings settings);

    /** The request body (JSON) asking for a streamed reply to the conversation. */
    byte[] body(EngineSettings settings, ChatConversation conversation);

    /** A reader for one reply's frames, handing text on to {@code chunks} as it arrives. */
    StreamReader reader(Consumer<String> chunks);

    /** Reads a streamed reply frame by frame. */
    interface StreamReader extends SseFrameParser.FrameHandler {
        /** Whether the stream said the reply is complete. */
        boolean finished();
    }

    /**
     * What an error body says, in one line: the {@code error.message} (with {@code error.type})
     * of either protocol's error object, else the start of the body. Empty when nothing useful.
     */
    static Optional<String> errorDetail(byte[] body) {
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        try {
            Map<String, Object> root = JsonFields.object(JsonTree.parse(body));
            if (root != null) {
                Object error = root.get("error");
                if (error instanceof String) {
                    return Optional.of(oneLine((String) error));
                }
                Map<String, Object> e = JsonFields.object(error);
                if (e != null) {
                    String message = JsonFields.string(e, "message");
                    String type = JsonFields.string(e, "type");
                    if (message != null) {
                        return Optional.of(oneLine(type == null ? message : type + ": " + message));
                    }
                }
                String message = JsonFields.string(root, "message");
                if (message != null) {
                    return Optional.of(oneLine(message));
                }
            }
        } catch (JsonTree.MalformedJsonException notJson) {
            // fall through to the text
        }
        String text = oneLine(new String(body, StandardCharsets.UTF_8));
        return text.isBlank() ? Optional.empty() : Optional.of(text);
    }

    static String oneLine(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }

    /** The conversation's user and assistant messages (system notices are Heddle's, never sent). */
    static List<ChatMessage> dialogue(ChatConversation conversation) {
        List<ChatMessage> out = new ArrayList<>();
        for (ChatMessage m : conversation.messages()) {
            if (m.role() != ChatRole.SYSTEM) {
                out.add(m);
            }
        }
        return out;
    }

    /** Parses a frame's data as a JSON object, or says the frame is malformed. */
    static Map<String, Object> json(String protocol, SseFrameParser.Frame frame) throws ModelStreamException {
        try {
            Map<String, Object> root =
                    JsonFields.object(JsonTree.parse(frame.data().getBytes(StandardCharsets.UTF_8)));
            if (root != null) {
                return root;
            }
        } catch (JsonTree.MalformedJsonException e) {
            // below
        }
        String start = oneLine(frame.data());
        throw new ModelStreamException("the server sent a frame that is not valid " + protocol + " stream data ("
                + (start.length() > 80 ? start.substring(0, 80) + "..." : start) + ")");
    }
}
