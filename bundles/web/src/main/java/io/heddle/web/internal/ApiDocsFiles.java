package io.heddle.web.internal;

import io.heddle.jsonhttp.files.internal.StaticContent;
import io.heddle.jsonhttp.files.internal.StaticResponses;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Enumeration;
import java.util.Map;
import java.util.Optional;
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
    record File(String contentType, byte[] body, String etag, byte[][] zipped) implements StaticContent {
        @Override
        public byte[] gzip() {
            synchronized (zipped) {
                if (zipped[0] == null) {
                    zipped[0] = StaticResponses.gzip(body);
                }
                return zipped[0];
            }
        }

        /** Every file offers gzip. */
        @Override
        public boolean gzipOffered() {
            return true;
        }
    }

    private final Map<String, File> files;

    private ApiDocsFiles(Map<String, File> files) {
        this.files = files;
    }

    /** The files of {@code bundle}; fails when the WebJar's files or the page are missing (a broken build). */
    static ApiDocsFiles of(Bundle bundle) {
        return new ApiDocsFiles(Map.of(
                PAGE,
                file("text/html;charset=utf-8", entry(bundle, "apidocs/" + PAGE)),
                "init.js",
                file("text/javascript;charset=utf-8", entry(bundle, "apidocs/init.js")),
                "swagger-ui-bundle.js",
                file("text/javascript;charset=utf-8", webJar(bundle, "swagger-ui-bundle.js")),
                "swagger-ui.css",
                file("text/css;charset=utf-8", webJar(bundle, "swagger-ui.css"))));
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
            return new File(contentType, body, StaticResponses.etagOf(body), new byte[1][]);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + url + " from the web bundle", e);
        }
    }
}
