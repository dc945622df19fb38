package io.heddle.api.health;

import java.time.Instant;
import java.util.Objects;

/**
 * One reason why the server is degraded.
 *
 * @param source  what has the problem, e.g. {@code heartbeat-store} or {@code workspace-catalog}
 * @param path    the file or folder concerned, or null
 * @param message a sentence for the operator: the operation, the path and the cause
 * @param since   when the problem was first seen
 */
public record HealthProblem(String source, String path, String message, Instant since) {

    public HealthProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(since, "since");
    }
}
