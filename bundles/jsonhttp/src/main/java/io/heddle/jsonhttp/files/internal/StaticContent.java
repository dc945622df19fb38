package io.heddle.jsonhttp.files.internal;

/**
 * One static file ready to send with {@link StaticResponses#send}: its media type, its bytes, a
 * strong {@code ETag} of them, and, when offered, a gzipped form.
 */
public interface StaticContent {

    /** The {@code Content-Type}. */
    String contentType();

    /** The bytes. */
    byte[] body();

    /** The quoted strong entity tag of {@link #body()}. */
    String etag();

    /** Whether a gzipped form is offered (then every answer carries {@code Vary: Accept-Encoding}). */
    boolean gzipOffered();

    /** The gzipped bytes; asked for only when {@link #gzipOffered()}. */
    byte[] gzip();

    /** The entity tag of the gzipped representation: another tag, as the bytes differ. */
    default String gzipEtag() {
        String etag = etag();
        return etag.substring(0, etag.length() - 1) + "-gz\"";
    }
}
