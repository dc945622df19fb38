package io.heddle.api.extensions;

import java.nio.file.Path;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What the extensions folder holds right now: one entry per jar the watcher has acted on,
 * installed or not. Offered by the {@code extensions} bundle; {@code GET /api/extensions}
 * serves it.
 */
@ProviderType
public interface ExtensionCatalog {

    /** The watched folder. */
    Path folder();

    /** Every extension file the watcher knows, in file-name order. */
    List<ExtensionStatus> extensions();
}
