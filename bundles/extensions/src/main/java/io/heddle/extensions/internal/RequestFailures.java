package io.heddle.extensions.internal;

import io.heddle.api.extensions.ExtensionProblem;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The last request each extension bundle failed to answer, and how often it failed. */
final class RequestFailures {

    record Failure(String request, String exception, long count, Instant lastAt) {}

    private final Map<Long, Failure> byBundle = new ConcurrentHashMap<>();

    /** Records one failure; answers whether it is the bundle's first since it was (re)installed. */
    boolean record(long bundleId, String request, Throwable thrown, Instant at) {
        String exception =
                thrown.getClass().getName() + (thrown.getMessage() == null ? "" : ": " + thrown.getMessage());
        Failure failure = byBundle.merge(
                bundleId,
                new Failure(request, exception, 1, at),
                (old, now) -> new Failure(now.request(), now.exception(), old.count() + 1, now.lastAt()));
        return failure.count() == 1;
    }

    /** Forgets a bundle's failures (it was updated or uninstalled). */
    void forget(long bundleId) {
        byBundle.remove(bundleId);
    }

    Optional<ExtensionProblem> problem(long bundleId) {
        Failure failure = byBundle.get(bundleId);
        if (failure == null) {
            return Optional.empty();
        }
        return Optional.of(new ExtensionProblem(
                "servlet_failed",
                failure.request() + " threw " + failure.exception()
                        + " (" + failure.count() + (failure.count() == 1 ? " time" : " times") + ", last at "
                        + failure.lastAt()
                        + ")"));
    }
}
