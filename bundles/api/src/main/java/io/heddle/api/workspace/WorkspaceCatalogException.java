package io.heddle.api.workspace;

/** The catalog could not be read or written; the message names the file and what to do. */
public class WorkspaceCatalogException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WorkspaceCatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
