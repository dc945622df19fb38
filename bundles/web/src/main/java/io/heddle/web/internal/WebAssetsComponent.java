package io.heddle.web.internal;

import io.heddle.api.web.WebAssets;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The web UI of this bundle: every file under its {@code web/} folder, read once when the
 * component activates and offered as {@link WebAssets}. Stopping the bundle withdraws it, and
 * servers that serve the bundled UI then answer {@code 404} for pages (their API goes on).
 */
@Component(service = WebAssets.class, immediate = true)
public final class WebAssetsComponent implements WebAssets {

    /** The folder inside this bundle that holds the UI. */
    static final String ROOT = "web";

    private final StaticFileSet files;

    @Activate
    public WebAssetsComponent(BundleContext context) {
        this.files = new StaticFileSet(read(context));
    }

    private static Map<String, byte[]> read(BundleContext context) {
        Map<String, byte[]> files = new HashMap<>();
        Enumeration<URL> entries = context.getBundle().findEntries(ROOT, "*", true);
        while (entries != null && entries.hasMoreElements()) {
            URL entry = entries.nextElement();
            String path = entry.getPath();
            if (path.endsWith("/")) {
                continue; // a folder
            }
            String relative = path.substring(path.indexOf(ROOT + "/") + ROOT.length() + 1);
            try (InputStream in = entry.openStream()) {
                files.put(relative, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + path + " from the web bundle", e);
            }
        }
        return files;
    }

    @Override
    public SortedSet<String> paths() {
        return files.paths();
    }

    @Override
    public Optional<byte[]> read(String path) {
        return files.read(path);
    }

    @Override
    public String contentHash() {
        return files.contentHash();
    }
}
