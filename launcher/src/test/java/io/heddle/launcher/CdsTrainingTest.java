package io.heddle.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CdsTrainingTest {

    @Test
    void readsTheClassesEachJarLoadedFromTheJvmClassLoadLog() {
        List<String> log = List.of(
                "java.lang.Object source: shared objects file",
                "org.apache.felix.scr.impl.Activator source: file:/dist/bundles/org.apache.felix.scr-2.2.14.jar",
                "[1.041s][info][class,load] org.eclipse.jetty.server.Server source: file:/dist/bundles/jetty12.jar",
                "org.apache.felix.scr.impl.Activator source: file:/dist/bundles/org.apache.felix.scr-2.2.14.jar",
                "org.apache.felix.scr.impl.BundleComponentActivator source: file:/dist/bundles/org.apache.felix.scr-2.2.14.jar",
                "java.lang.invoke.LambdaForm$MH/0x00007f source: __JVM_LookupDefineClass__",
                "jdk.internal.Foo source: jrt:/java.base",
                "io.heddle.Bar source: file:/dist/classes/",
                "opened: /dist/lib/records.jar");

        Map<Path, List<String>> byJar = CdsTraining.classesByJar(log);

        assertThat(byJar)
                .containsOnlyKeys(
                        Path.of("/dist/bundles/org.apache.felix.scr-2.2.14.jar"), Path.of("/dist/bundles/jetty12.jar"));
        assertThat(byJar.get(Path.of("/dist/bundles/org.apache.felix.scr-2.2.14.jar")))
                .containsExactly(
                        "org.apache.felix.scr.impl.Activator", "org.apache.felix.scr.impl.BundleComponentActivator");
        assertThat(byJar.get(Path.of("/dist/bundles/jetty12.jar"))).containsExactly("org.eclipse.jetty.server.Server");
    }

    @Test
    void aBundleLocationAndTheJvmsSourceUrlNameTheSameJar() {
        Path jar = Path.of("/dist/bundles/api-0.1.0.jar");

        assertThat(CdsTraining.jarPath("reference:" + jar.toUri())).contains(jar);
        assertThat(CdsTraining.jarPath("file:/dist/bundles/api-0.1.0.jar")).contains(jar);
        assertThat(CdsTraining.jarPath("System Bundle")).isEmpty();
    }
}
