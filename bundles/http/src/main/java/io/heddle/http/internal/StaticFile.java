package io.heddle.http.internal;

import io.heddle.jsonhttp.files.internal.StaticContent;
import io.heddle.jsonhttp.files.internal.StaticResponses;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One static file ready to send: its media type, its bytes, its gzipped bytes when that is
 * smaller and the type compresses, and a strong {@code ETag} of its content.
 *
 * @param path        the relative path it was found at
 * @param contentType the {@code Content-Type}
 * @param body        the bytes
 * @param gzip        the gzipped bytes, or null when not worth sending
 * @param etag        the quoted strong entity tag of {@code body}
 */
record StaticFile(String path, String contentType, byte[] body, byte[] gzip, String etag) implements StaticContent {

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html;charset=utf-8"),
            Map.entry("js", "text/javascript;charset=utf-8"),
            Map.entry("mjs", "text/javascript;charset=utf-8"),
            Map.entry("css", "text/css;charset=utf-8"),
            Map.entry("json", "application/json;charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("webp", "image/webp"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("txt", "text/plain;charset=utf-8"),
            Map.entry("map", "application/json;charset=utf-8"),
            Map.entry("wasm", "application/wasm"),
            Map.entry("webmanifest", "application/manifest+json;charset=utf-8"));
    private static final Set<String> COMPRESSIBLE =
            Set.of("html", "js", "mjs", "css", "json", "svg", "txt", "map", "webmanifest", "ico", "wasm");
    /** Below this, gzip's own header costs more than it saves. */
    private static final int MIN_GZIP_BYTES = 256;

    /** The file for {@code content} found at {@code path}: type by extension, gzip computed now. */
    static StaticFile of(String path, byte[] content) {
        String ext = extension(path);
        byte[] gzip = null;
        if (COMPRESSIBLE.contains(ext) && content.length >= MIN_GZIP_BYTES) {
            byte[] zipped = StaticResponses.gzip(content);
            gzip = zipped.length < content.length ? zipped : null;
        }
        return new StaticFile(
                path,
                TYPES.getOrDefault(ext, "application/octet-stream"),
                content,
                gzip,
                StaticResponses.etagOf(content));
    }

    /** A gzipped form is offered when it was worth making. */
    @Override
    public boolean gzipOffered() {
        return gzip != null;
    }

    static String extension(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot <= slash ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
