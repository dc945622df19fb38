package io.heddle.http.internal;

import java.util.Optional;

/** Where a server's UI files come from: the web bundle, or a folder. */
interface AssetSite {

    /** The fingerprint of the current files, for {@code /assets/v-<version>/} URLs. */
    String version();

    /** {@code index.html}, its asset references fingerprinted with {@link #version()}. */
    StaticFile index();

    /** A file by relative path ({@code assets/app.js}), if there is one. */
    Optional<StaticFile> file(String path);
}
