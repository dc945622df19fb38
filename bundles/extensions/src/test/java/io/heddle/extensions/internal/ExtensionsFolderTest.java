package io.heddle.extensions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExtensionsFolderTest {

    private static final Map<String, String> HOME_ONLY = Map.of("heddle.home", "/srv/heddle-home");

    @Test
    void defaultIsTheExtensionsFolderOfHeddleHomeScannedEvery100Ms() {
        ExtensionsFolder folder = ExtensionsFolder.resolve("", ExtensionsFolder.DEFAULT_POLL_MS, HOME_ONLY::get);

        assertThat(folder.dir()).isEqualTo(Path.of("/srv/heddle-home/extensions"));
        assertThat(folder.poll()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void commandLineFromTheLauncherBeatsTheDefault() {
        Map<String, String> properties = Map.of("heddle.home", "/srv/heddle-home", "heddle.extensions.dir", "/opt/ext");

        assertThat(ExtensionsFolder.resolve("", 100, properties::get).dir()).isEqualTo(Path.of("/opt/ext"));
    }

    @Test
    void configuredDirBeatsTheDefault() {
        assertThat(ExtensionsFolder.resolve("/data/mine", 100, HOME_ONLY::get).dir())
                .isEqualTo(Path.of("/data/mine"));
    }

    @Test
    void commandLineBeatsTheConfiguredDir() {
        Map<String, String> properties = Map.of("heddle.home", "/srv/heddle-home", "heddle.extensions.dir", "/opt/ext");

        assertThat(ExtensionsFolder.resolve("/data/mine", 100, properties::get).dir())
                .isEqualTo(Path.of("/opt/ext"));
    }

    @Test
    void relativeDirIsTakenFromHeddleHome() {
        assertThat(ExtensionsFolder.resolve("plugins/../more", 100, HOME_ONLY::get)
                        .dir())
                .isEqualTo(Path.of("/srv/heddle-home/more"));
    }

    @Test
    void pollBelowTheFloorIsRaisedToIt() {
        assertThat(ExtensionsFolder.resolve("", 0, HOME_ONLY::get).poll()).isEqualTo(Duration.ofMillis(20));
        assertThat(ExtensionsFolder.resolve("", 250, HOME_ONLY::get).poll()).isEqualTo(Duration.ofMillis(250));
    }
}
