/**
 * Health: what makes {@code GET /api/health} answer {@code degraded}. A bundle that keeps state
 * registers a {@link io.heddle.api.health.HealthContributor} service that names its problems.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.heddle.api.health;
