package io.heddle.api.registry;

/**
 * The registry could not be read or written: the lock was not acquired in time, the
 * folder is not writable, the disk is full. The message names the file and what to do.
 */
public class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RegistryException(String message) {
        super(message);
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
