package io.heddle.jsonhttp.files.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * The one way the bundles send a static file: strong {@code ETag} per representation, {@code 304}
 * on a matching {@code If-None-Match}, gzip for clients that accept it, {@code nosniff}, the
 * caller's {@code Cache-Control}, and, for an HTML page, the caller's
 * {@code Content-Security-Policy} with {@code Referrer-Policy: no-referrer}.
 */
public final class StaticResponses {

    private StaticResponses() {}

    /** Sends {@code file} (no body for {@code HEAD}, {@code headOnly}) and flushes the answer. */
    public static void send(
            HttpServletRequest request,
            HttpServletResponse response,
            StaticContent file,
            String cacheControl,
            String pagePolicy,
            boolean headOnly)
            throws IOException {
        boolean zipped = file.gzipOffered() && acceptsGzip(request.getHeader("Accept-Encoding"));
        String etag = zipped ? file.gzipEtag() : file.etag();
        response.setHeader("ETag", etag);
        response.setHeader("Cache-Control", cacheControl);
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (file.gzipOffered()) {
            response.setHeader("Vary", "Accept-Encoding");
        }
        if (file.contentType().startsWith("text/html")) {
            response.setHeader("Content-Security-Policy", pagePolicy);
            response.setHeader("Referrer-Policy", "no-referrer");
        }
        if (etagMatches(request.getHeader("If-None-Match"), etag)) {
            response.setStatus(304);
            response.flushBuffer();
            return;
        }
        byte[] body = zipped ? file.gzip() : file.body();
        response.setStatus(200);
        response.setContentType(file.contentType());
        if (zipped) {
            response.setHeader("Content-Encoding", "gzip");
        }
        response.setContentLength(body.length);
        if (!headOnly) {
            response.getOutputStream().write(body);
        }
        response.flushBuffer();
    }

    /** The quoted strong entity tag of {@code content}: 32 hex digits of its SHA-256. */
    public static String etagOf(byte[] content) {
        return "\"" + sha256(content).substring(0, 32) + "\"";
    }

    /** The gzipped form of {@code content}. */
    public static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length / 3 + 32);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // never: it writes to memory
        }
        return out.toByteArray();
    }

    /** The SHA-256 of {@code content} in lower-case hex. */
    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** Whether an {@code Accept-Encoding} header accepts gzip (and does not refuse it with {@code q=0}). */
    public static boolean acceptsGzip(String acceptEncoding) {
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
    public static boolean etagMatches(String ifNoneMatch, String etag) {
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
