package io.heddle.http.internal;

import io.heddle.api.lifecycle.ServerAssets;
import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.web.WebAssets;
import io.heddle.jsonhttp.files.internal.StaticResponses;
import io.heddle.jsonhttp.internal.HttpProblem;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * Everything no other endpoint claims: the web UI. Which UI is the server's choice
 * ({@link ServerHandle#assets()}): the web bundle's ({@link WebAssets}), a folder's, or none.
 * <ul>
 * <li>{@code /}, and every path outside {@code /api/} and {@code /assets/} that names no file
 *     (a client-side route), get {@code index.html}, its {@code /assets/} references rewritten
 *     to {@code /assets/v-<version>/};</li>
 * <li>{@code /assets/v-<version>/<file>} serves {@code assets/<file>}, cached for a year as
 *     immutable while the version is current;</li>
 * <li>other files, and {@code index.html}, are sent with {@code Cache-Control: no-cache};</li>
 * <li>everything has a strong {@code ETag} ({@code 304} on {@code If-None-Match}), and text is
 *     gzipped for clients that accept it;</li>
 * <li>unknown {@code /api/} paths, missing {@code /assets/} files, and a server without UI get
 *     a JSON {@code 404}.</li>
 * </ul>
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/")
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + ServerHandle.CONTEXT_NAME + ")")
public final class AssetServlet extends JsonApiServlet {
    private static final long serialVersionUID = 1L;

    static final String NO_CACHE = "no-cache";
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    /** Pages may run only this server's scripts, and no other site may frame them. */
    static final String PAGE_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline';"
            + " object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile WebAssets webAssets;

    /** The bundled UI, prepared once per {@link WebAssets} service. */
    private final transient AtomicReference<BundledAssetSite> bundled = new AtomicReference<>();

    @Override
    protected Object handle(
            String method, HttpServletRequest request, HttpServletResponse response, ServerHandle server)
            throws HttpProblem, IOException {
        String uri = request.getRequestURI();
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (path.equals("/api") || path.startsWith("/api/")) {
            throw HttpProblem.notFound("No API endpoint at " + uri + ".");
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw HttpProblem.methodNotAllowed(method, "GET");
        }
        AssetSite site = site(server.assets());
        AssetPaths.Target target = AssetPaths.target(path);
        StaticFile file;
        String cacheControl = NO_CACHE;
        if (target.versioned()) {
            file = site.file(target.file()).orElseThrow(() -> HttpProblem.notFound("Not found: " + uri));
            if (target.version().equals(site.version())) {
                cacheControl = IMMUTABLE;
            }
        } else if (target.index()) {
            file = site.index();
        } else {
            Optional<StaticFile> found = site.file(target.file());
            if (found.isEmpty() && target.asset()) {
                throw HttpProblem.notFound("Not found: " + uri);
            }
            file = found.orElseGet(site::index);
        }
        if (file == null) {
            throw HttpProblem.notFound("This server's web UI has no index.html.");
        }
        StaticResponses.send(request, response, file, cacheControl, PAGE_POLICY, method.equals("HEAD"));
        return null;
    }

    private AssetSite site(ServerAssets assets) throws HttpProblem, IOException {
        switch (assets.kind()) {
            case BUNDLED: {
                WebAssets current = webAssets;
                if (current == null) {
                    throw HttpProblem.notFound("This server serves the bundled web UI, but the io.heddle.web bundle"
                            + " is not running. The API under /api/ still answers.");
                }
                BundledAssetSite site = bundled.get();
                if (site == null || !site.builtFrom(current)) {
                    site = new BundledAssetSite(current);
                    bundled.set(site);
                }
                return site;
            }
            case DIRECTORY:
                try {
                    return new DirectoryAssetSite(
                            assets.directory().orElseThrow().toRealPath());
                } catch (IOException e) {
                    throw HttpProblem.notFound("This server's web UI folder is gone: " + e.getMessage());
                }
            case NONE:
            default:
                throw HttpProblem.notFound(
                        "This server serves no web UI (it was started with --no-assets)." + " The API is under /api/.");
        }
    }

    /**
     * The file a decoded request path names, if it stays inside {@code root}: no {@code ..}
     * segment, no backslash or NUL, and no symbolic link that leads out.
     */
    static Optional<Path> resolveInside(Path root, String decoded) {
        if (decoded.indexOf('\0') >= 0 || decoded.contains("\\")) {
            return Optional.empty();
        }
        for (String segment : decoded.split("/")) {
            if (segment.equals("..")) {
                return Optional.empty();
            }
        }
        String relative = decoded.replaceFirst("^/+", "");
        if (relative.isEmpty()) {
            relative = "index.html";
        }
        try {
            Path candidate = root.resolve(relative).normalize();
            if (!candidate.startsWith(root)) {
                return Optional.empty();
            }
            if (Files.exists(candidate)) {
                Path real = candidate.toRealPath();
                if (!real.startsWith(root)) {
                    return Optional.empty();
                }
                if (Files.isDirectory(real)) {
                    Path index = real.resolve("index.html");
                    return Optional.of(Files.isRegularFile(index) ? index : real);
                }
                return Optional.of(real);
            }
            return Optional.of(candidate);
        } catch (InvalidPathException | IOException e) {
            return Optional.empty();
        }
    }
}
