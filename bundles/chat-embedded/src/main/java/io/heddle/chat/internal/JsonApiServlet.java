package io.heddle.chat.internal;

import io.heddle.jsonhttp.internal.JsonServlet;
import java.io.IOException;

/**
 * Base of the chat endpoints: the shared {@link JsonServlet}, for which every I/O failure of a
 * chat endpoint means the workspace's session files could not be read or written.
 */
abstract class JsonApiServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected String storageFailure(Exception failure) {
        return failure instanceof IOException
                ? "The chat sessions could not be read or written: " + failure.getMessage()
                : null;
    }
}
