package io.heddle.web.internal;

import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.jsonhttp.files.internal.StaticResponses;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code /api/docs}: the API browser, Swagger UI from its WebJar, on {@code /api/openapi.json}.
 * <ul>
 * <li>{@code GET /api/docs} (and {@code /api/docs/}) is the page; {@code /api/docs/swagger-ui-bundle.js},
 *     {@code /api/docs/swagger-ui.css} and {@code /api/docs/init.js} are its files; anything
 *     else under {@code /api/docs/} is a JSON {@code 404}, other methods a JSON {@code 405};</li>
 * <li>every file has a strong {@code ETag} ({@code 304} on {@code If-None-Match}), {@code
 *     Cache-Control: no-cache}, {@code X-Content-Type-Options: nosniff}, and is gzipped for
 *     clients that accept it;</li>
 * <li>the page's {@code Content-Security-Policy} allows nothing but this server (scripts, styles,
 *     images, fetches), plus inline styles and {@code data:} images, which Swagger UI uses.</li>
 * </ul>
 * Same access rules as the rest of {@code /api/} (the lifecycle's context applies them).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/api/docs", "/api/docs/*"})
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + ServerHandle.CONTEXT_NAME + ")")
public final class ApiDocsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** Only this server: no foreign script, style, image, font or fetch; no framing. */
    static final String PAGE_POLICY = "default-src 'self'; script-src 'self'; connect-src 'self';"
            + " img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self'; object-src 'none';"
            + " base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    private final transient ApiDocsFiles files;

    @Activate
    public ApiDocsServlet(BundleContext context) {
        this.files = ApiDocsFiles.of(context.getBundle());
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.setHeader("Allow", "GET, HEAD");
            error(response, 405, "method_not_allowed", method + " is not allowed here; use GET.");
            return;
        }
        String info = request.getPathInfo();
        String name = info == null || info.equals("/") ? ApiDocsFiles.PAGE : info.substring(1);
        Optional<ApiDocsFiles.File> file = files.file(name);
        if (file.isEmpty()) {
            error(
                    response,
                    404,
                    "not_found",
                    "The API browser has no file " + request.getRequestURI() + "; open /api/docs.");
            return;
        }
        StaticResponses.send(request, response, file.get(), "no-cache", PAGE_POLICY, method.equals("HEAD"));
    }

    private static void error(HttpServletResponse response, int status, String code, String message)
            throws IOException {
        byte[] body = ("{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + escape(message) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** A JSON string's content: quotes, backslashes and control characters escaped. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
