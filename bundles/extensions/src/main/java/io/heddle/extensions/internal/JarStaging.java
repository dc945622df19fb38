package io.heddle.extensions.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the private copy of a jar of the folder that the framework reads, and only of the bytes
 * that were seen: a jar that changed or went away while it was copied gives no copy (the watcher
 * reports it again once it settles).
 */
final class JarStaging {

    private static final Logger LOG = LoggerFactory.getLogger(JarStaging.class);

    private final Path staging;

    JarStaging(Path staging) {
        this.staging = staging;
    }

    /**
     * Copies {@code file} into the staging folder when it still has the signature {@code seen}
     * after the copy; the caller deletes the copy when done.
     *
     * @return the copy, or empty when the jar changed or was removed meanwhile (no copy is left behind)
     * @throws IOException when the jar is there but cannot be copied
     */
    Optional<Path> stage(Path file, FileSignature seen) throws IOException {
        Files.createDirectories(staging);
        Path staged = Files.createTempFile(staging, "extension-", ".jar");
        try {
            Files.copy(file, staged, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(staged);
            if (FileSignature.of(file).isEmpty()) {
                return Optional.empty(); // removed while being copied
            }
            throw e;
        }
        if (!FileSignature.of(file).map(seen::equals).orElse(false)) {
            deleteQuietly(staged);
            return Optional.empty();
        }
        return Optional.of(staged);
    }

    /** The SHA-256 of a file's content, in lower-case hex. */
    static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.debug("Could not delete {}: {}", file, e.toString());
            }
        }
    }
}
