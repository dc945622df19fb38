package io.heddle.http.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pure decisions of static serving: which file a request path names, how {@code index.html}
 * gets its fingerprinted asset URLs, and the conditional and encoding headers.
 */
final class AssetPaths {

    /** The folder of the UI's files, and the URL prefix they are referred to by. */
    static final String ASSETS = "assets/";
    /** Fingerprinted URLs: {@code /assets/v-<version>/<file>} serves {@code assets/<file>}. */
    static final String VERSION_MARK = "v-";

    private static final Pattern VERSIONED = Pattern.compile("^/assets/v-([0-9a-f]{1,64})/(.+)$");
    /** {@code /assets/} right after a quote or {@code url(}: an attribute, module specifier or CSS URL. */
    private static final Pattern ASSET_REFERENCE = Pattern.compile("([\"'(])/assets/");

    private AssetPaths() {}

    /**
     * What a request asks for.
     *
     * @param file    the relative file path ({@code index.html} for {@code /})
     * @param version the fingerprint of a {@code /assets/v-<version>/} URL, or null
     */
    record Target(String file, String version) {

        boolean versioned() {
            return version != null;
        }

        boolean index() {
            return file.equals("index.html");
        }

        /** Under {@code assets/}: a file the page loads, never a client route. */
        boolean asset() {
            return file.startsWith(ASSETS);
        }
    }

    /** The target of a decoded, normalised request path (the container did that). */
    static Target target(String path) {
        Matcher versioned = VERSIONED.matcher(path);
        if (versioned.matches()) {
            return new Target(ASSETS + versioned.group(2), versioned.group(1));
        }
        String file = path.replaceFirst("^/+", "");
        return new Target(file.isEmpty() ? "index.html" : file, null);
    }

    /** {@code index.html} with each {@code /assets/} reference turned into {@code /assets/v-<version>/}. */
    static byte[] fingerprint(byte[] indexHtml, String version) {
        String html = new String(indexHtml, StandardCharsets.UTF_8);
        String rewritten = ASSET_REFERENCE
                .matcher(html)
                .replaceAll("$1/" + Matcher.quoteReplacement(ASSETS + VERSION_MARK + version) + "/");
        return rewritten.getBytes(StandardCharsets.UTF_8);
    }

    /** The part of a content hash that fingerprints URLs. */
    static String shortVersion(String contentHash) {
        return contentHash.substring(0, Math.min(16, contentHash.length())).toLowerCase(Locale.ROOT);
    }
}
