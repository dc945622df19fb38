/**
 * Hot-deployed extensions: what the extensions folder holds, how each extension is doing and
 * what it contributes, and the Event Admin topics its changes are posted on.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.heddle.api.extensions;
