package io.heddle.extensions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstalledIndexTest {

    @TempDir
    Path dir;

    @Test
    void entriesSurviveARestart() {
        Path file = dir.resolve("installed.properties");
        InstalledIndex index = new InstalledIndex(file);
        index.put("file:/ext/a.jar", "aaaa");
        index.put("file:/ext/b.jar", "bbbb");
        index.remove("file:/ext/a.jar");

        InstalledIndex reopened = new InstalledIndex(file);

        assertThat(reopened.entries()).isEqualTo(Map.of("file:/ext/b.jar", "bbbb"));
        assertThat(reopened.digest("file:/ext/b.jar")).contains("bbbb");
        assertThat(reopened.digest("file:/ext/a.jar")).isEmpty();
    }

    @Test
    void missingOrDamagedFileStartsEmpty() throws Exception {
        assertThat(new InstalledIndex(dir.resolve("absent.properties")).entries())
                .isEmpty();

        Path damaged = Files.write(dir.resolve("damaged.properties"), new byte[] {'\\', 'u', 'z', 'z'});
        assertThat(new InstalledIndex(damaged).entries()).isEmpty();
    }
}
