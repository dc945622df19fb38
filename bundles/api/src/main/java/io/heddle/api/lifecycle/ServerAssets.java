package io.heddle.api.lifecycle;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Which web UI a server serves besides its API: the {@code io.heddle.web} bundle's
 * ({@link Kind#BUNDLED}, the default), the files of a folder ({@link Kind#DIRECTORY}, for UI
 * development), or none ({@link Kind#NONE}: the API only). The lifecycle checks the choice
 * before it binds: a folder or bundle without {@code index.html} fails the start with
 * {@link ServerStartException.Reason#ASSETS_MISSING}.
 *
 * @param kind      which source
 * @param directory the folder, for {@link Kind#DIRECTORY} only
 */
public record ServerAssets(Kind kind, Optional<Path> directory) {

    public enum Kind {
        /** The {@link io.heddle.api.web.WebAssets} service of the {@code io.heddle.web} bundle. */
        BUNDLED,
        /** The files of a folder, read on every request. */
        DIRECTORY,
        /** No web UI: only {@code /api/} is served. */
        NONE
    }

    private static final ServerAssets BUNDLED_ASSETS = new ServerAssets(Kind.BUNDLED, Optional.empty());
    private static final ServerAssets NO_ASSETS = new ServerAssets(Kind.NONE, Optional.empty());

    public ServerAssets {
        Objects.requireNonNull(kind, "kind");
        directory = directory == null ? Optional.empty() : directory;
        if ((kind == Kind.DIRECTORY) != directory.isPresent()) {
            throw new IllegalArgumentException("a folder goes with DIRECTORY, and only with it: " + kind);
        }
    }

    /** The web bundle's UI. */
    public static ServerAssets bundled() {
        return BUNDLED_ASSETS;
    }

    /** The UI in {@code dir} (it must hold {@code index.html}). */
    public static ServerAssets directory(Path dir) {
        return new ServerAssets(Kind.DIRECTORY, Optional.of(Objects.requireNonNull(dir, "dir")));
    }

    /** No UI: the API only. */
    public static ServerAssets none() {
        return NO_ASSETS;
    }
}
