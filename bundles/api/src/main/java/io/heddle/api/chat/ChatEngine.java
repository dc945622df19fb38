package io.heddle.api.chat;

import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Produces chat replies: a whiteboard service. Any bundle may register one; the chat
 * endpoints use the engine with the highest {@code service.ranking} (ties: the oldest
 * registration). The service property {@value #ENGINE_PROPERTY} names it, e.g.
 * {@code command}.
 *
 * <p>With no engine registered a user message is still stored, and the reply is an explicit
 * system message that says no engine is configured. An engine must never invent an answer
 * it did not get from its model.
 */
@ConsumerType
public interface ChatEngine {

    /** The service property that names an engine. */
    String ENGINE_PROPERTY = "heddle.chat.engine";

    /**
     * A short name for messages, logs and engine choice, e.g. {@code command} or {@code claude}.
     * A session that names an engine ({@code PATCH /api/chat/sessions/{id}} with
     * {@code {"engine": name}}) is answered by the engine of that name.
     */
    String name();

    /**
     * The protocol or kind of the engine, e.g. {@code command}, {@code openai} or
     * {@code anthropic}; shown in {@code GET /api/chat/engines}.
     *
     * @since 1.1
     */
    default String protocol() {
        return name();
    }

    /**
     * The model the engine asks, when it has one; shown in {@code GET /api/chat/engines}.
     *
     * @since 1.1
     */
    default Optional<String> model() {
        return Optional.empty();
    }

    /**
     * Why the engine cannot answer now (e.g. its API key file is readable by others), in words
     * that say what to do; empty when it is usable. Shown in {@code GET /api/chat/engines}. It
     * never contains a secret.
     *
     * @since 1.1
     */
    default Optional<String> problem() {
        return Optional.empty();
    }

    /**
     * Produces the reply to the conversation's last message, writing it to {@code reply} in
     * chunks as it becomes available. Blocks until the reply is complete.
     *
     * <p>The engine checks {@link ChatReplyStream#cancelled()} while it waits (the user pressed
     * Stop, {@code POST /api/chat/sessions/{id}/cancel}, or the server is stopping) and then
     * stops promptly: it ends any process or connection it started and throws.
     *
     * @throws ChatEngineException when the reply failed, timed out or was cancelled; chunks
     *                             already written are kept
     */
    void reply(ChatConversation conversation, ChatReplyStream reply) throws ChatEngineException;
}
