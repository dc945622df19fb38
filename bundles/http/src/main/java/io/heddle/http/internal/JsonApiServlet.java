package io.heddle.http.internal;

import io.heddle.api.registry.RegistryException;
import io.heddle.api.workspace.WorkspaceCatalogException;
import io.heddle.jsonhttp.internal.JsonServlet;
import java.io.UncheckedIOException;

/**
 * Base of this bundle's JSON endpoints: the shared {@link JsonServlet}, which knows that the
 * workspace catalog and the registry fail with their own exceptions (or an unchecked I/O
 * exception) when their files cannot be read or written.
 */
abstract class JsonApiServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected String storageFailure(Exception failure) {
        boolean store = failure instanceof WorkspaceCatalogException
                || failure instanceof RegistryException
                || failure instanceof UncheckedIOException;
        return store ? failure.getMessage() : null;
    }
}
