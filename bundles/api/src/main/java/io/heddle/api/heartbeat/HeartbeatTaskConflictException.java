package io.heddle.api.heartbeat;

/**
 * A request that does not fit the task's current state, e.g. run-now on a blocked task or
 * resume on an idle one. The message says what to do instead; the HTTP API answers 409.
 */
public class HeartbeatTaskConflictException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public HeartbeatTaskConflictException(String message) {
        super(message);
    }
}
