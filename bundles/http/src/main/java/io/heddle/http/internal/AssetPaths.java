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

    private AssetPaths() {
    }

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
        String rewritten = ASSET_REFERENCE.matcher(html)
                .replaceAll("$1/" + Matcher.quoteReplacement(ASSETS + VERSION_MARK + version) + "/");
        return rewritten.getBytes(StandardCharsets.UTF_8);
    }

    /** The part of a content hash that fingerprints URLs. */
    static String shortVersion(String contentHash) {
        return contentHash.substring(0, Math.min(16, contentHash.length())).toLowerCase(Locale.ROOT);
    }

    /** Whether an {@code Accept-Encoding} header accepts gzip (and does not refuse it with {@code q=0}). */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        boolean star = false;
        for (String part : acceptEncoding.split(",")) {
            String[] pieces = part.trim().split(";");
            String coding = pieces[0].trim().toLowerCase(Locale.ROOT);
            boolean refused = false;
            for (int i = 1; i < pieces.length; i++) {
                String param = pieces[i].trim().toLowerCase(Locale.ROOT).replace(" ", "");
                if (param.matches("q=0(\\.0{0,3})?")) {
                    refused = true;
                }
            }
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                return !refused;
            }
            if (coding.equals("*")) {
                star = !refused;
            }
        }
        return star;
    }

    /**
     * Whether an {@code If-None-Match} header names {@code etag} (weak comparison, as RFC 9110
     * asks for this header) or is {@code *}.
     */
    static boolean etagMatches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        String want = opaque(etag);
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || opaque(c).equals(want)) {
                return true;
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
