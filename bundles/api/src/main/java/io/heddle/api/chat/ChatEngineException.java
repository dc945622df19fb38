package io.heddle.api.chat;

/**
 * An engine could not produce (all of) its reply. The message is shown to the user as a
 * system message, so it says what happened and what to do, e.g. "The command engine timed out
 * after 60000 ms (timeoutMs in io.heddle.chat.engine.command)."
 */
public class ChatEngineException extends Exception {
    private static final long serialVersionUID = 1L;

    public ChatEngineException(String message) {
        super(message);
    }

    public ChatEngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
