/**
 * The web UI's static files as a service: the {@code io.heddle.web} bundle registers
 * {@link io.heddle.api.web.WebAssets}, and every server that serves the bundled UI reads its
 * files through it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.heddle.api.web;
