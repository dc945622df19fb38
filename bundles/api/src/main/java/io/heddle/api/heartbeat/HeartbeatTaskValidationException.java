package io.heddle.api.heartbeat;

/** A task field (or a field of its runner configuration) is invalid. The HTTP API answers 400. */
public class HeartbeatTaskValidationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field   the field's path, e.g. {@code schedule.intervalMs} or {@code runnerConfig.argv}
     * @param message a sentence that names the field and says what is expected
     */
    public HeartbeatTaskValidationException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
