package io.heddle.engines.internal;

/** The model's answer could not be read or said it failed; the message is for the user. */
final class ModelStreamException extends Exception {
    private static final long serialVersionUID = 1L;

    ModelStreamException(String message) {
        super(message);
    }
}
