package io.heddle.api.chat;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where an engine writes its reply while it produces it. Chunks are concatenated in order to
 * form the stored reply. Called from one thread at a time.
 */
@ProviderType
public interface ChatReplyStream {

    /** Appends a piece of the reply; empty chunks are ignored. */
    void chunk(String text);

    /**
     * Whether the reply is no longer wanted (the user cancelled it, or its server or the chat
     * bundle is stopping). An engine checks this while it waits and then stops early by throwing
     * {@link ChatEngineException}. Safe to call from any thread.
     */
    boolean cancelled();
}
