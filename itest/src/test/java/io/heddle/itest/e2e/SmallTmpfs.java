package io.heddle.itest.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a test folder, for a real full disk or a real read-only folder (CI
 * runs as root, where {@code chmod} does not stop writes). Mounting needs root (or
 * CAP_SYS_ADMIN): {@link #mount} answers null where it is not allowed, and the test skips.
 * {@link #close()} unmounts.
 */
final class SmallTmpfs implements AutoCloseable {

    private final Path dir;

    private SmallTmpfs(Path dir) {
        this.dir = dir;
    }

    /**
     * Mounts a tmpfs with {@code options} (e.g. {@code "size=1m"} or {@code "ro,size=1m"}) on
     * {@code dir} (created if missing); null when this machine does not allow it.
     */
    static SmallTmpfs mount(Path dir, String options) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        if (run(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString())) != 0) {
            return null;
        }
        return new SmallTmpfs(dir);
    }

    Path dir() {
        return dir;
    }

    /** Writes {@code name} until the file system is full. */
    void fill(String name) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(dir.resolve(name))) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    @Override
    public void close() {
        try {
            if (run(List.of("umount", dir.toString())) != 0) {
                run(List.of("umount", "-l", dir.toString()));
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not unmount " + dir, e);
        }
    }

    private static int run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
