package io.heddle.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigOverridesTest {

    @TempDir
    Path etc;

    private void heartbeatCfg(String text) throws IOException {
        Files.writeString(etc.resolve("io.heddle.heartbeat.cfg"), text, StandardCharsets.ISO_8859_1);
    }

    @Test
    void missingFileMeansDefault() {
        assertThat(ConfigOverrides.read(etc, "io.heddle.heartbeat")).isEmpty();
        assertThat(ConfigOverrides.staleAfter(etc)).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void missingFolderMeansDefault() {
        assertThat(ConfigOverrides.staleAfter(etc.resolve("nope"))).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void readsKeyValueLinesWithCommentsAndSpaces() throws IOException {
        heartbeatCfg("# heartbeat\n! also a comment\nintervalMs = 1000\n  staleAfterMs=3000  \n\n");
        assertThat(ConfigOverrides.read(etc, "io.heddle.heartbeat"))
                .containsEntry("intervalMs", "1000")
                .containsEntry("staleAfterMs", "3000");
        assertThat(ConfigOverrides.staleAfter(etc)).isEqualTo(Duration.ofMillis(3000));
    }

    @Test
    void acceptsColonSeparatorAndTypedNotation() throws IOException {
        heartbeatCfg("staleAfterMs: 5000\n");
        assertThat(ConfigOverrides.staleAfter(etc)).isEqualTo(Duration.ofMillis(5000));
        heartbeatCfg("staleAfterMs=L\"7000\"\n");
        assertThat(ConfigOverrides.staleAfter(etc)).isEqualTo(Duration.ofMillis(7000));
    }

    @Test
    void invalidOrNonPositiveValuesMeanDefault() throws IOException {
        for (String value : new String[] {"abc", "0", "-5", "", "12s", "1.5"}) {
            heartbeatCfg("staleAfterMs=" + value + "\n");
            assertThat(ConfigOverrides.staleAfter(etc)).as(value).isEqualTo(Duration.ofSeconds(45));
        }
    }

    @Test
    void otherPidsAreSeparateFiles() throws IOException {
        Files.writeString(etc.resolve("io.heddle.extensions.cfg"), "staleAfterMs=1\n");
        assertThat(ConfigOverrides.staleAfter(etc)).isEqualTo(Duration.ofSeconds(45));
        assertThat(ConfigOverrides.read(etc, "io.heddle.extensions")).containsEntry("staleAfterMs", "1");
    }

    @Test
    void homeFolderUsesItsEtcFolder() throws IOException {
        Files.createDirectories(etc.resolve("etc"));
        Files.writeString(etc.resolve("etc").resolve("io.heddle.heartbeat.cfg"), "staleAfterMs=1234\n");
        assertThat(new HomeFolder(etc).staleAfter()).isEqualTo(Duration.ofMillis(1234));
    }
}
