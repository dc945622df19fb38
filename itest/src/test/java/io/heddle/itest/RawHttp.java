package io.heddle.itest;

import java.io.IOException;
import java.util.Map;

/**
 * The kit's {@link io.heddle.itest.support.RawHttp} for Heddle's own tests, with the contract
 * test: every answer of {@link #get} and {@link #send} is checked against the OpenAPI document
 * ({@link OpenApiContract}). {@link #exchange} sends raw bytes and is not checked.
 */
public final class RawHttp extends io.heddle.itest.support.RawHttp {

    private RawHttp() {}

    public static Response get(int port, String path) throws IOException {
        return send(port, "GET", path, Map.of(), null);
    }

    public static Response send(int port, String method, String path, Map<String, String> headers, byte[] body)
            throws IOException {
        Response response = io.heddle.itest.support.RawHttp.send(port, method, path, headers, body);
        OpenApiContract.check(method, path, response.status, response.headers.get("content-type"), response.body);
        return response;
    }
}
