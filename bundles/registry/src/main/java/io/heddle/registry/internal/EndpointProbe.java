package io.heddle.registry.internal;

import java.util.Optional;

/**
 * Whether a server answers on the endpoint a live record names. The registry asks only for
 * records without a process start instant ({@code processStartedAt}, absent from the
 * reference's files), where a live pid alone does not prove the server is still there.
 */
@FunctionalInterface
public interface EndpointProbe {

    /**
     * Answers why nothing answers at {@code host:port}, or empty when a server answers.
     *
     * @param host the record's host
     * @param port the record's port
     */
    Optional<String> silentReason(String host, int port);
}
