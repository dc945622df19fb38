package io.heddle.api.web;

import java.util.Optional;
import java.util.SortedSet;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A fixed set of static web files (the web UI): {@code index.html} at the root, the rest under
 * {@code assets/}. Paths are relative, with {@code /} separators and no leading slash, e.g.
 * {@code index.html} or {@code assets/app.js}. An instance never changes; new content is a new
 * service (a bundle update re-registers it).
 */
@ProviderType
public interface WebAssets {

    /** The file every page route is served from. */
    String INDEX = "index.html";

    /** Every file's path, in order. */
    SortedSet<String> paths();

    /** A copy of one file's content, or empty when there is no such file. */
    Optional<byte[]> read(String path);

    /**
     * A hash of every path and content (lower-case hex): it changes whenever any file does, so
     * it can fingerprint URLs for long caching.
     */
    String contentHash();
}
