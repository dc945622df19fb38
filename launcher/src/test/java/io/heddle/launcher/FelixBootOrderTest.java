package io.heddle.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FelixBootOrderTest {

    @Test
    void theLoggingBundleStartsFirstThenConfigurationAdminThenTheRest() {
        assertThat(FelixBoot.startRank("io.heddle.logging"))
                .isLessThan(FelixBoot.startRank("org.apache.felix.configadmin"));
        assertThat(FelixBoot.startRank("org.apache.felix.configadmin"))
                .isLessThan(FelixBoot.startRank("org.apache.felix.scr"));
        assertThat(FelixBoot.startRank("org.apache.felix.scr")).isEqualTo(FelixBoot.startRank(null));
    }

    @Test
    void theLoggingBundlesJarIsInstalledFirstSoThatItStopsLast() {
        List<Path> jars = new ArrayList<>(List.of(
                Path.of("/d/bundles/api-0.1.0.jar"),
                Path.of("/d/bundles/logging-0.1.0.jar"),
                Path.of("/d/bundles/lifecycle-0.1.0.jar")));

        FelixBoot.sortForInstall(jars);

        assertThat(jars)
                .extracting(p -> p.getFileName().toString())
                .containsExactly("logging-0.1.0.jar", "api-0.1.0.jar", "lifecycle-0.1.0.jar");
    }
}
