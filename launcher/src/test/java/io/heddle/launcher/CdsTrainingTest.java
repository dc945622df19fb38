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
                "org.apache.logging.log4j.core.Filter source: file:/dist/bundles/pax-logging-log4j2-2.3.0.jar",
                "[1.041s][info][class,load] org.eclipse.jetty.server.Server source: file:/dist/bundles/jetty12.jar",
                "org.apache.logging.log4j.core.Filter source: file:/dist/bundles/pax-logging-log4j2-2.3.0.jar",
                "org.apache.logging.log4j.core.Layout source: file:/dist/bundles/pax-logging-log4j2-2.3.0.jar",
                "java.lang.invoke.LambdaForm$MH/0x00007f source: __JVM_LookupDefineClass__",
                "jdk.internal.Foo source: jrt:/java.base",
                "io.heddle.Bar source: file:/dist/classes/",
                "opened: /dist/lib/records.jar");

        Map<Path, List<String>> byJar = CdsTraining.classesByJar(log);

        assertThat(byJar)
                .containsOnlyKeys(
                        Path.of("/dist/bundles/pax-logging-log4j2-2.3.0.jar"), Path.of("/dist/bundles/jetty12.jar"));
        assertThat(byJar.get(Path.of("/dist/bundles/pax-logging-log4j2-2.3.0.jar")))
                .containsExactly("org.apache.logging.log4j.core.Filter", "org.apache.logging.log4j.core.Layout");
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
