package io.heddle.extensions.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarInspectionTest {

    @TempDir
    Path dir;

    private static byte[] jar(String... headers) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            manifest.getMainAttributes().putValue(headers[i], headers[i + 1]);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.putNextEntry(new JarEntry("some/Resource.txt"));
            jar.write(new byte[4096]);
            jar.closeEntry();
        }
        return out.toByteArray();
    }

    private Path write(byte[] bytes) throws IOException {
        return Files.write(Files.createTempFile(dir, "x", ".jar"), bytes);
    }

    @Test
    void completeBundleJarGivesItsNameAndVersion() throws Exception {
        Path file =
                write(jar("Bundle-SymbolicName", "com.example.hello;singleton:=true", "Bundle-Version", "1.2.3.beta"));

        JarInspection.BundleIdentity identity = JarInspection.inspect(file, "hello.jar");

        assertThat(identity.symbolicName()).isEqualTo("com.example.hello");
        assertThat(identity.version()).isEqualTo("1.2.3.beta");
    }

    @Test
    void missingVersionIsZero() throws Exception {
        assertThat(JarInspection.inspect(write(jar("Bundle-SymbolicName", "a")), "a.jar")
                        .version())
                .isEqualTo("0.0.0");
    }

    @Test
    void halfWrittenJarIsInvalidNotABundleError() throws Exception {
        byte[] whole = jar("Bundle-SymbolicName", "com.example.hello");
        Path half = write(Arrays.copyOf(whole, whole.length / 2));

        assertThatThrownBy(() -> JarInspection.inspect(half, "hello.jar"))
                .isInstanceOfSatisfying(ExtensionFailure.class, f -> {
                    assertThat(f.problem().code()).isEqualTo("invalid_jar");
                    assertThat(f.problem().message()).contains("hello.jar", "complete");
                });
    }

    @Test
    void jarCutJustBeforeItsLastByteIsInvalid() throws Exception {
        byte[] whole = jar("Bundle-SymbolicName", "com.example.hello");
        Path cut = write(Arrays.copyOf(whole, whole.length - 1));

        assertThatThrownBy(() -> JarInspection.inspect(cut, "hello.jar"))
                .isInstanceOfSatisfying(
                        ExtensionFailure.class,
                        f -> assertThat(f.problem().code()).isEqualTo("invalid_jar"));
    }

    @Test
    void jarWithoutSymbolicNameIsNotABundle() throws Exception {
        Path plain = write(jar("Created-By", "test"));

        assertThatThrownBy(() -> JarInspection.inspect(plain, "plain.jar"))
                .isInstanceOfSatisfying(ExtensionFailure.class, f -> {
                    assertThat(f.problem().code()).isEqualTo("not_a_bundle");
                    assertThat(f.problem().message()).contains("Bundle-SymbolicName");
                });
    }

    @Test
    void invalidVersionIsRefusedBeforeTheFrameworkSeesIt() throws Exception {
        Path bad = write(jar("Bundle-SymbolicName", "a", "Bundle-Version", "one.two"));

        assertThatThrownBy(() -> JarInspection.inspect(bad, "a.jar"))
                .isInstanceOfSatisfying(
                        ExtensionFailure.class,
                        f -> assertThat(f.problem().code()).isEqualTo("install_failed"));
    }

    @Test
    void notAZipAtAllIsInvalid() throws Exception {
        Path text = write("just some text".getBytes());

        assertThatThrownBy(() -> JarInspection.inspect(text, "text.jar"))
                .isInstanceOfSatisfying(
                        ExtensionFailure.class,
                        f -> assertThat(f.problem().code()).isEqualTo("invalid_jar"));
    }
}
