package io.heddle.api.health;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A part of the server whose trouble makes {@code GET /api/health} answer {@code degraded}
 * (for example a store that cannot be written). Register it as an OSGi service.
 *
 * <p>{@link #problems()} is called on every health request, which must stay fast: answer from
 * memory, never from the disk or the network. Whatever finds and clears problems (a failed
 * write, the next successful write, a periodic probe) runs elsewhere.
 */
@ConsumerType
public interface HealthContributor {

    /** The problems right now; empty when healthy. */
    List<HealthProblem> problems();
}
