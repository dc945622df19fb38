package io.heddle.web.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.osgi.framework.Bundle;

/**
 * The API browser's files, read once from this bundle: the page and starter of {@code apidocs/}
 * and Swagger UI's script and style from the WebJar's folder
 * ({@code META-INF/resources/webjars/swagger-ui/<version>/}, unpacked into the bundle at build time).
 */
final class ApiDocsFiles {

    static final String PAGE = "index.html";
    static final String WEBJAR = "META-INF/resources/webjars/swagger-ui";

    /** One file ready to send; the gzipped form is made once, when first asked for. */
    record File(String contentType, byte[] body, String etag, byte[][] zipped) {
        byte[] gzip() {
            synchronized (zipped) {
                if (zipped[0] == null) {
                    zipped[0] = ApiDocsFiles.gzip(body);
                }
                return zipped[0];
            }
        }

        String gzipEtag() {
            return etag.substring(0, etag.length() - 1) + "-gz\"";
        }
    }

    private final Map<String, File> files;

    private ApiDocsFiles(Map<String, File> files) {
        this.files = files;
    }

    /** The files of {@code bundle}; fails when the WebJar's files or the page are missing (a broken build). */
    static ApiDocsFiles of(Bundle bundle) {
        return new ApiDocsFiles(Map.of(
                PAGE, file("text/html;charset=utf-8", entry(bundle, "apidocs/" + PAGE)),
                "init.js", file("text/javascript;charset=utf-8", entry(bundle, "apidocs/init.js")),
                "swagger-ui-bundle.js", file("text/javascript;charset=utf-8", webJar(bundle, "swagger-ui-bundle.js")),
                "swagger-ui.css", file("text/css;charset=utf-8", webJar(bundle, "swagger-ui.css"))));
    }

    Optional<File> file(String name) {
        return Optional.ofNullable(files.get(name));
    }

    private static URL entry(Bundle bundle, String path) {
        URL url = bundle.getEntry(path);
        if (url == null) {
            throw new IllegalStateException("The web bundle lacks " + path);
        }
        return url;
    }

    private static URL webJar(Bundle bundle, String name) {
        Enumeration<URL> found = bundle.findEntries(WEBJAR, name, true);
        if (found == null || !found.hasMoreElements()) {
            throw new IllegalStateException("The web bundle lacks Swagger UI's " + name + " under " + WEBJAR);
        }
        return found.nextElement();
    }

    private static File file(String contentType, URL url) {
        try (InputStream in = url.openStream()) {
            byte[] body = in.readAllBytes();
            return new File(contentType, body, "\"" + sha256(body).substring(0, 32) + "\"", new byte[1][]);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + url + " from the web bundle", e);
        }
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length / 3 + 32);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // never: it writes to memory
        }
        return out.toByteArray();
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** Whether {@code Accept-Encoding} allows gzip (not refused with {@code q=0}). */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] pieces = part.trim().split(";");
            String coding = pieces[0].trim().toLowerCase(Locale.ROOT);
            if (coding.equals("gzip") || coding.equals("x-gzip") || coding.equals("*")) {
                for (int i = 1; i < pieces.length; i++) {
                    if (pieces[i].trim().replace(" ", "").matches("q=0(\\.0{0,3})?")) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }

    /** Whether {@code If-None-Match} names {@code etag} (weak comparison) or is {@code *}. */
    static boolean etagMatches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || (c.startsWith("W/") ? c.substring(2) : c).equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
