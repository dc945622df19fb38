package io.heddle.api.heartbeat;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run failed (as opposed to deciding to escalate): the task becomes {@code failed} and is
 * retried after a backoff. The details are kept with the run, e.g. the output of a command that
 * timed out.
 */
public class HeartbeatRunException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Map<String, Object> details;

    public HeartbeatRunException(String message, Map<String, Object> details, Throwable cause) {
        super(message, cause);
        this.details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public HeartbeatRunException(String message) {
        this(message, Map.of(), null);
    }

    public Map<String, Object> details() {
        return details == null ? Map.of() : details;
    }
}
