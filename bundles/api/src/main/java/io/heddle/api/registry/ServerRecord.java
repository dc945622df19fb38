package io.heddle.api.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * The live-server record: which server claims to be <em>the</em> control-plane server of
 * this user, where it listens, and when it last proved it was alive.
 *
 * @param serverId          unique id of one server start, e.g. {@code daemon-4242-1780000000000}
 * @param mode              how the server was started
 * @param host              the host the server is bound to
 * @param port              the real bound port
 * @param pid               the server's process id ({@code 0} = unknown, treated as alive)
 * @param processStartedAt  the start instant of that process, used to detect pid reuse; may be null
 * @param startedAt         when the server started
 * @param lastSeenAt        the last heartbeat
 */
public record ServerRecord(
        String serverId,
        ServerMode mode,
        String host,
        int port,
        long pid,
        Instant processStartedAt,
        Instant startedAt,
        Instant lastSeenAt) {

    public ServerRecord {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
        if (serverId.isBlank()) {
            throw new IllegalArgumentException("serverId must not be blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (pid < 0) {
            throw new IllegalArgumentException("pid must not be negative: " + pid);
        }
    }

    /** The same record with a newer heartbeat. */
    public ServerRecord withLastSeenAt(Instant seenAt) {
        return new ServerRecord(serverId, mode, host, port, pid, processStartedAt, startedAt, seenAt);
    }

    /** {@code http://host:port}, with IPv6 hosts in brackets. */
    public String endpointUrl() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "http://" + h + ":" + port;
    }
}
