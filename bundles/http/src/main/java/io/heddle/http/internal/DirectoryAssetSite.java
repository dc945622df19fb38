package io.heddle.http.internal;

import io.heddle.jsonhttp.files.internal.StaticResponses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The files of a folder (UI development): read on every request, so an edit shows at the next
 * reload. The version is a hash of every file's path, size and modification time. A path that
 * would leave the folder, through {@code ..} or a symbolic link, is never served.
 */
final class DirectoryAssetSite implements AssetSite {

    /** A folder this large is not a UI: the version then stops counting files. */
    private static final int MAX_FILES = 10_000;

    private final Path root;

    /** @param root the folder, as a real path */
    DirectoryAssetSite(Path root) {
        this.root = root;
    }

    @Override
    public String version() {
        StringBuilder listing = new StringBuilder();
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> files =
                    walk.filter(Files::isRegularFile).limit(MAX_FILES).sorted().collect(Collectors.toList());
            for (Path file : files) {
                listing.append(root.relativize(file))
                        .append('\0')
                        .append(Files.size(file))
                        .append('\0')
                        .append(Files.getLastModifiedTime(file).toMillis())
                        .append('\n');
            }
        } catch (IOException | UncheckedIOException e) {
            listing.append("unreadable:").append(e.getMessage());
        }
        return AssetPaths.shortVersion(StaticResponses.sha256(listing.toString().getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public StaticFile index() {
        StaticFile raw = file("index.html").orElse(null);
        if (raw == null) {
            return null;
        }
        return StaticFile.of("index.html", AssetPaths.fingerprint(raw.body(), version()));
    }

    @Override
    public Optional<StaticFile> file(String path) {
        Optional<Path> file = AssetServlet.resolveInside(root, "/" + path);
        if (file.isEmpty() || !Files.isRegularFile(file.get())) {
            return Optional.empty();
        }
        try {
            return Optional.of(StaticFile.of(root.relativize(file.get()).toString(), Files.readAllBytes(file.get())));
        } catch (IOException | InvalidPathException e) {
            return Optional.empty();
        }
    }
}
