package io.heddle.http.internal;

import io.heddle.api.web.WebAssets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The web bundle's files, prepared once: every file's gzip and ETag are computed when the
 * site is built, and {@code index.html} is fingerprinted, so a request only copies bytes.
 */
final class BundledAssetSite implements AssetSite {

    private final WebAssets source;
    private final String version;
    private final Map<String, StaticFile> files = new HashMap<>();
    private final StaticFile index;

    BundledAssetSite(WebAssets source) {
        this.source = source;
        this.version = AssetPaths.shortVersion(source.contentHash());
        for (String path : source.paths()) {
            source.read(path).ifPresent(bytes -> files.put(path, StaticFile.of(path, bytes)));
        }
        StaticFile raw = files.get(WebAssets.INDEX);
        this.index = raw == null ? null : StaticFile.of(WebAssets.INDEX, AssetPaths.fingerprint(raw.body(), version));
    }

    /** Whether this site was built from {@code assets} (a new service instance means new files). */
    boolean builtFrom(WebAssets assets) {
        return source == assets;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public StaticFile index() {
        return index;
    }

    @Override
    public Optional<StaticFile> file(String path) {
        return Optional.ofNullable(files.get(path));
    }
}
