package io.heddle.lifecycle.internal;

import io.heddle.api.lifecycle.ErrorEnvelope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals (a request Jetty rejects before any servlet runs: 400 for a bad URI, a
 * missing or bad {@code Host}, a malformed header; 414; 431; 505) answered in the API's JSON
 * error shape instead of Jetty's HTML page, and logged through the {@link RefusalLog}: at most
 * once a minute per status, with the input cut short. See
 * {@code docs/decisions/0020-jetty-refusals-answer-json.md}.
 *
 * <p>Felix HTTP offers no hook to set the Jetty server's error handler, so
 * {@link #installOn(Server, RefusalLog)} is called from the first request that reaches the
 * {@code heddle} servlet context (the lifecycle sends one itself right after the bind), and again
 * whenever Felix has replaced the Jetty server meanwhile.
 */
final class JsonErrorHandler extends ErrorHandler {

    private static final int MAX_MESSAGE_CHARS = 200;
    private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, ErrorEnvelope.MEDIA_TYPE);

    private final RefusalLog refusals;

    JsonErrorHandler(RefusalLog refusals) {
        this.refusals = refusals;
        setCacheControl("no-store");
    }

    /** Makes the Jetty server that runs the current request use a JSON error handler; answers whether it now does. */
    static boolean installOnCurrentServer(RefusalLog refusals) {
        ContextHandler context = ContextHandler.getCurrentContextHandler();
        Server server = context == null ? null : context.getServer();
        return server != null && installOn(server, refusals);
    }

    static boolean installOn(Server server, RefusalLog refusals) {
        if (!(server.getErrorHandler() instanceof JsonErrorHandler)) {
            server.setErrorHandler(new JsonErrorHandler(refusals));
        }
        return true;
    }

    /** Every method gets the JSON body (Jetty's default writes one for GET, POST and HEAD only). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        String text = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
        if ((code >= 400 && code < 500) || code == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
            String host = request.getHeaders().get(HttpHeader.HOST);
            refusals.refused(
                    "http_" + code,
                    "Jetty answered " + code + " " + RefusalLog.truncate(text),
                    request.getMethod() + " " + request.getHttpURI() + (host == null ? "" : " Host " + host));
        }
        byte[] body = body(code, text);
        response.getHeaders().put(JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** {@code {"error":{"code":…,"message":…}}} for a status Jetty chose. */
    static byte[] body(int status, String message) {
        String text = message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) + "…" : message;
        return ErrorEnvelope.json(code(status), "HTTP " + status + ": " + text).getBytes(StandardCharsets.UTF_8);
    }

    static String code(int status) {
        switch (status) {
            case 400:
                return "bad_request";
            case 404:
                return "not_found";
            case 405:
                return "method_not_allowed";
            case 408:
                return "request_timeout";
            case 413:
                return "body_too_large";
            case 414:
                return "uri_too_long";
            case 415:
                return "unsupported_media_type";
            case 431:
                return "headers_too_large";
            case 500:
                return "internal_error";
            case 501:
                return "not_implemented";
            case 503:
                return "not_ready";
            case 505:
                return "http_version_not_supported";
            default:
                return status >= 500 ? "internal_error" : "bad_request";
        }
    }
}
