package io.heddle.api.lifecycle;

/** One or more close steps failed; the others still ran. Failures are attached as suppressed. */
public class ServerCloseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ServerCloseException(String message) {
        super(message);
    }
}
