package io.heddle.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heddle.api.registry.RegistryException;
import io.heddle.storage.internal.StoreHealth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry that cannot be written says so (path and cause) and is reported until a write succeeds. */
class RegistryHealthTest {

    @TempDir
    Path dir;

    @Test
    void aFailedWriteNamesTheRegistryAndTheCauseAndIsUnhealthyUntilAWriteSucceeds() throws Exception {
        List<String> said = new CopyOnWriteArrayList<>();
        StoreHealth health =
                new StoreHealth("registry", Clock.systemUTC(), Duration.ofHours(1), new StoreHealth.Listener() {
                    @Override
                    public void unwritable(StoreHealth.Problem problem) {
                        said.add("unwritable");
                    }

                    @Override
                    public void writableAgain(StoreHealth.Problem resolved) {
                        said.add("writable");
                    }
                });
        Path home = dir.resolve("home");
        Files.writeString(home, "a file where HEDDLE_HOME should be");
        FileDaemonRegistry registry = FileDaemonRegistry.open(
                        home.resolve("daemon-registry.json"), Duration.ofSeconds(45), w -> {})
                .reportingTo(health);

        assertThatThrownBy(() -> registry.registerWorkspaces(List.of(RegistryTestData.workspace(
                        "a", dir.resolve("ws").resolve(".heddle").toString()))))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining(home.toString())
                .hasMessageMatching("(?s).*(File exists|Not a directory).*");
        assertThat(health.healthy()).isFalse();

        Files.delete(home);
        registry.registerWorkspaces(List.of(RegistryTestData.workspace(
                "a", dir.resolve("ws").resolve(".heddle").toString())));

        assertThat(health.healthy()).isTrue();
        assertThat(said).containsExactly("unwritable", "writable");
        health.close();
    }
}
