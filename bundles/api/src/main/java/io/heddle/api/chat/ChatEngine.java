package io.heddle.api.chat;

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
public interface ChatEngine {

    /** The service property that names an engine. */
    String ENGINE_PROPERTY = "heddle.chat.engine";

    /** A short name for messages and logs, e.g. {@code command}. */
    String name();

    /**
     * Produces the reply to the conversation's last message, writing it to {@code reply} in
     * chunks as it becomes available. Blocks until the reply is complete.
     *
     * @throws ChatEngineException when the reply failed, timed out or was cancelled; chunks
     *                             already written are kept
     */
    void reply(ChatConversation conversation, ChatReplyStream reply) throws ChatEngineException;
}
