package io.heddle.http.internal;

import io.heddle.api.lifecycle.ServerHandle;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * Everything no other endpoint claims: static files of the server's assets folder, with
 * {@code index.html} for unknown non-API paths (client-side routes), and a JSON 404 for
 * unknown {@code /api/} paths. A path that would leave the assets folder, through {@code ..}
 * or a symbolic link, is a 404.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/")
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + ServerHandle.CONTEXT_NAME + ")")
public final class AssetServlet extends JsonApiServlet {
    private static final long serialVersionUID = 1L;

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html;charset=utf-8"), Map.entry("js", "text/javascript;charset=utf-8"),
            Map.entry("mjs", "text/javascript;charset=utf-8"), Map.entry("css", "text/css;charset=utf-8"),
            Map.entry("json", "application/json;charset=utf-8"), Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("ico", "image/x-icon"), Map.entry("webp", "image/webp"),
            Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"), Map.entry("txt", "text/plain;charset=utf-8"),
            Map.entry("map", "application/json;charset=utf-8"), Map.entry("wasm", "application/wasm"));

    @Override
    protected Object handle(String method, HttpServletRequest request, HttpServletResponse response, ServerHandle server)
            throws HttpProblem, IOException {
        String uri = request.getRequestURI();
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (path.equals("/api") || path.startsWith("/api/")) {
            throw HttpProblem.notFound("No API endpoint at " + uri + ".");
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw HttpProblem.methodNotAllowed(method, "GET");
        }
        Optional<Path> assets = server.assetsDir();
        if (assets.isEmpty()) {
            throw HttpProblem.notFound("This server serves no web UI (it was started without assets).");
        }
        Path root = assets.get().toRealPath();
        // the servlet path is already decoded and normalised by the container: never decode it twice
        Path file = resolveInside(root, path).orElseThrow(() -> HttpProblem.notFound("Not found: " + uri));
        if (!Files.isRegularFile(file)) {
            file = root.resolve("index.html");
        }
        send(response, file, method.equals("HEAD"));
        return null;
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

    private static void send(HttpServletResponse response, Path file, boolean headOnly) throws IOException {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        response.setStatus(200);
        response.setContentType(TYPES.getOrDefault(ext, "application/octet-stream"));
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", name.equals("index.html") ? "no-cache" : "max-age=300");
        response.setContentLengthLong(Files.size(file));
        if (!headOnly) {
            Files.copy(file, response.getOutputStream());
        }
    }
}
