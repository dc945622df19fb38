package io.heddle.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExclusiveFileLockTest {

    @TempDir
    Path dir;

    /** Asks another process whether the OS lock on {@code lockFile} is free. */
    private static String probeFromAnotherProcess(Path lockFile) throws IOException, InterruptedException {
        Process probe = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        LockProbeMain.class.getName(),
                        lockFile.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            assertThat(probe.waitFor(20, TimeUnit.SECONDS)).as("probe finished").isTrue();
            return new String(probe.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        } finally {
            probe.destroyForcibly();
        }
    }

    @Test
    void anotherProcessSeesTheLockHeld() throws Exception {
        Path lockFile = dir.resolve("test.lock");
        try (ExclusiveFileLock held = ExclusiveFileLock.acquire(lockFile, Duration.ofSeconds(5))) {
            assertThat(probeFromAnotherProcess(lockFile)).isEqualTo("LOCKED");
        }
        assertThat(probeFromAnotherProcess(lockFile)).isEqualTo("FREE");
    }

    @Test
    void threadThatTimesOutLeavesTheHoldersOsLockInPlace() throws Exception {
        Path lockFile = dir.resolve("test.lock");
        try (ExclusiveFileLock held = ExclusiveFileLock.acquire(lockFile, Duration.ofSeconds(5))) {
            CompletableFuture<Void> waiter = CompletableFuture.runAsync(
                    () -> assertThatThrownBy(() -> ExclusiveFileLock.acquire(lockFile, Duration.ofMillis(100)))
                            .isInstanceOf(ExclusiveFileLock.LockTimeoutException.class)
                            .hasMessageContaining(lockFile.toString()));
            waiter.get(10, TimeUnit.SECONDS);

            // POSIX locks belong to the process: closing any descriptor of the file drops them
            assertThat(probeFromAnotherProcess(lockFile)).isEqualTo("LOCKED");
        }
    }

    @Test
    void timeoutWhileAnotherThreadHoldsTheLockNamesThisProcess() throws Exception {
        Path lockFile = dir.resolve("test.lock");
        try (ExclusiveFileLock held = ExclusiveFileLock.acquire(lockFile, Duration.ofSeconds(5))) {
            CompletableFuture<Void> waiter = CompletableFuture.runAsync(
                    () -> assertThatThrownBy(() -> ExclusiveFileLock.acquire(lockFile, Duration.ofMillis(100)))
                            .isInstanceOf(ExclusiveFileLock.LockTimeoutException.class)
                            .hasMessageContaining("Timed out after 100 ms waiting for the lock " + lockFile)
                            .hasMessageContaining("held by another thread of this process (pid "
                                    + ProcessHandle.current().pid() + ")"));
            waiter.get(10, TimeUnit.SECONDS);
        }
    }

    /** A second copy of the class, as another bundle embeds it: same bytes, another class loader. */
    private static Class<?> secondCopy() throws Exception {
        java.net.URL classes =
                ExclusiveFileLock.class.getProtectionDomain().getCodeSource().getLocation();
        ClassLoader isolated =
                new java.net.URLClassLoader(new java.net.URL[] {classes}, ClassLoader.getPlatformClassLoader());
        Class<?> copy = isolated.loadClass(ExclusiveFileLock.class.getName());
        assertThat(copy).isNotSameAs(ExclusiveFileLock.class);
        return copy;
    }

    @Test
    void secondCopyInTheSameJvmWaitsAndItsTimeoutLeavesTheOsLockInPlace() throws Exception {
        Path lockFile = dir.resolve("test.lock");
        java.lang.reflect.Method acquire = secondCopy().getMethod("acquire", Path.class, Duration.class);
        try (ExclusiveFileLock held = ExclusiveFileLock.acquire(lockFile, Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> acquire.invoke(null, lockFile, Duration.ofMillis(200)))
                    .hasRootCauseInstanceOf(IOException.class)
                    .rootCause()
                    .hasMessageContaining("Timed out after 200 ms");

            assertThat(probeFromAnotherProcess(lockFile)).isEqualTo("LOCKED");
        }
        AutoCloseable fromSecondCopy = (AutoCloseable) acquire.invoke(null, lockFile, Duration.ofSeconds(5));
        try {
            assertThat(probeFromAnotherProcess(lockFile))
                    .as("the second copy holds it now")
                    .isEqualTo("LOCKED");
            assertThatThrownBy(() -> ExclusiveFileLock.acquire(lockFile, Duration.ofMillis(200)))
                    .isInstanceOf(ExclusiveFileLock.LockTimeoutException.class);
            assertThat(probeFromAnotherProcess(lockFile)).isEqualTo("LOCKED");
        } finally {
            fromSecondCopy.close();
        }
        assertThat(probeFromAnotherProcess(lockFile)).isEqualTo("FREE");
    }

    @Test
    void lockFileDeletedBetweenUsesIsRecreatedAndLockedAgain() throws Exception {
        Path lockFile = dir.resolve("test.lock");
        ExclusiveFileLock.acquire(lockFile, Duration.ofSeconds(5)).close();
        java.nio.file.Files.delete(lockFile);

        try (ExclusiveFileLock held = ExclusiveFileLock.acquire(lockFile, Duration.ofSeconds(5))) {
            assertThat(lockFile).exists();
            assertThat(probeFromAnotherProcess(lockFile)).isEqualTo("LOCKED");
        }
    }
}
