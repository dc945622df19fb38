package io.heddle.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.registry.RegistrySnapshot;
import io.heddle.api.registry.ServerMode;
import io.heddle.api.registry.ServerRecord;
import io.heddle.api.workspace.WorkspaceDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Records, workspaces and fixture files the registry tests share. */
final class RegistryTestData {

    static final String REGISTRY_FILE = "daemon-registry.json";
    static final Instant T0 = Instant.parse("2026-06-02T00:00:00.000Z");
    /** An endpoint probe for tests whose records (without processStartedAt) stand for servers that answer. */
    static final EndpointProbe ANSWERING = (host, port) -> java.util.Optional.empty();

    private RegistryTestData() {}

    static ServerRecord server(String serverId, long pid, Instant lastSeenAt) {
        return new ServerRecord(serverId, ServerMode.DAEMON, "127.0.0.1", 8765, pid, null, lastSeenAt, lastSeenAt);
    }

    static WorkspaceDescriptor workspace(String name, String stateRoot) {
        String root = Path.of(stateRoot).getParent().toString();
        return new WorkspaceDescriptor("ws-" + name, name, root, List.of(root), stateRoot, T0, T0);
    }

    /** Copies {@code src/test/resources/fixtures/<name>} to {@code <dir>/daemon-registry.json}. */
    static Path copyFixture(String name, Path dir) {
        Path target = dir.resolve(REGISTRY_FILE);
        try (InputStream in = RegistryTestData.class.getResourceAsStream("/fixtures/" + name)) {
            assertThat(in).as("fixture %s", name).isNotNull();
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] fixtureBytes(String name) {
        try (InputStream in = RegistryTestData.class.getResourceAsStream("/fixtures/" + name)) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes the file strictly: it must be a whole registry that decodes without a single warning. */
    static RegistrySnapshot parseStrictly(Path file) {
        List<String> warnings = new ArrayList<>();
        try {
            RegistrySnapshot snapshot = RegistryCodec.decode(bytes(file), warnings::add);
            assertThat(warnings).as("warnings decoding %s", file).isEmpty();
            return snapshot;
        } catch (RegistryCodec.CorruptRegistryException e) {
            throw new AssertionError(file + " does not parse: " + e.getMessage(), e);
        }
    }

    /** The pid of a process that has ended and been reaped. */
    static long pidOfAnEndedProcess() throws InterruptedException {
        try {
            Process process = new ProcessBuilder("true").start();
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            // Java's reaper has collected it by now: the pid names no process (until the OS reuses it)
            return process.pid();
        } catch (IOException e) {
            throw new AssertionError("cannot start 'true'", e);
        }
    }

    static List<String> stateRoots(RegistrySnapshot snapshot) {
        List<String> roots = new ArrayList<>();
        snapshot.workspaces().forEach(e -> roots.add(e.workspace().stateRoot()));
        return roots;
    }
}
