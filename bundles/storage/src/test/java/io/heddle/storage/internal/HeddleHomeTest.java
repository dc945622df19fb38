package io.heddle.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HeddleHomeTest {

    private final HeddleHome home = new HeddleHome(Path.of("/h/.heddle"));

    @Test
    void serverIdsBecomeSafeFileNamesForTokensAndCaches() {
        assertThat(HeddleHome.safeFileName("daemon-42-1780000000000")).isEqualTo("daemon-42-1780000000000");
        assertThat(HeddleHome.safeFileName("../x y/z:1")).isEqualTo(".._x_y_z_1");
        assertThat(home.tokenFile("a/b")).isEqualTo(Path.of("/h/.heddle/run/a_b.token"));
        assertThat(home.cacheFor("a/b")).isEqualTo(Path.of("/h/.heddle/cache/a_b"));
    }

    @Test
    void layoutOfTheFolder() {
        assertThat(home.registryFile()).isEqualTo(Path.of("/h/.heddle/daemon-registry.json"));
        assertThat(home.etc()).isEqualTo(Path.of("/h/.heddle/etc"));
        assertThat(home.bindLockFile()).isEqualTo(Path.of("/h/.heddle/run/http-bind.lock"));
        assertThat(home.extensions()).isEqualTo(Path.of("/h/.heddle/extensions"));
    }

    @Test
    void homeOfARegistryFileIsItsFolder() {
        assertThat(HeddleHome.ofRegistryFile(Path.of("/h/.heddle/./daemon-registry.json")))
                .isEqualTo(home);
    }

    @Test
    void frameworkPropertyWinsOverTheEnvironment() {
        assertThat(HeddleHome.resolve(key -> key.equals(HeddleHome.FRAMEWORK_PROPERTY) ? "/elsewhere/../h2" : null))
                .isEqualTo(Path.of("/h2"));
    }
}
