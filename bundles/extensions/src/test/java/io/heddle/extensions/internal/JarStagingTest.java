package io.heddle.extensions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarStagingTest {

    @TempDir
    Path dir;

    private Path staging() {
        return dir.resolve("data").resolve("staging");
    }

    private static long filesIn(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.count();
        }
    }

    @Test
    void aJarThatDidNotChangeIsCopiedWhole() throws IOException {
        byte[] content = "jar bytes".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        Path jar = Files.write(dir.resolve("hello.jar"), content);

        Optional<Path> staged =
                new JarStaging(staging()).stage(jar, FileSignature.of(jar).orElseThrow());

        assertThat(staged).isPresent();
        assertThat(staged.get().getParent()).isEqualTo(staging());
        assertThat(Files.readAllBytes(staged.get())).isEqualTo(content);
        assertThat(Files.readAllBytes(jar)).isEqualTo(content); // the folder's file is left alone
    }

    @Test
    void aJarThatChangedSinceItWasSeenGivesNoCopyAndLeavesNothingBehind() throws IOException {
        Path jar = Files.write(dir.resolve("hello.jar"), new byte[] {1, 2, 3});
        FileSignature seen = FileSignature.of(jar).orElseThrow();
        Files.write(jar, new byte[] {1, 2, 3, 4, 5}); // still being written

        assertThat(new JarStaging(staging()).stage(jar, seen)).isEmpty();
        assertThat(filesIn(staging())).isZero();
    }

    @Test
    void aJarRemovedBeforeTheCopyGivesNoCopyAndLeavesNothingBehind() throws IOException {
        Path jar = Files.write(dir.resolve("hello.jar"), new byte[] {1, 2, 3});
        FileSignature seen = FileSignature.of(jar).orElseThrow();
        Files.delete(jar);

        assertThat(new JarStaging(staging()).stage(jar, seen)).isEmpty();
        assertThat(filesIn(staging())).isZero();
    }

    @Test
    void theDigestTellsSameBytesFromDifferentBytes() throws IOException {
        Path a = Files.write(dir.resolve("a.jar"), "same".getBytes(StandardCharsets.UTF_8));
        Path b = Files.write(dir.resolve("b.jar"), "same".getBytes(StandardCharsets.UTF_8));
        Path c = Files.write(dir.resolve("c.jar"), "other".getBytes(StandardCharsets.UTF_8));

        assertThat(JarStaging.sha256(a))
                .isEqualTo(JarStaging.sha256(b))
                .hasSize(64)
                .matches("[0-9a-f]+");
        assertThat(JarStaging.sha256(c)).isNotEqualTo(JarStaging.sha256(a));
        // SHA-256 of the empty input, a published test vector
        assertThat(JarStaging.sha256(Files.write(dir.resolve("empty.jar"), new byte[0])))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
