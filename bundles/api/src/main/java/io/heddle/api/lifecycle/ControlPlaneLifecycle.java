package io.heddle.api.lifecycle;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The one owner of control-plane server startup and shutdown. The daemon command and the
 * embedded-chat bundle both start servers through it. Several handles may coexist, each with
 * its own endpoint.
 */
@ProviderType
public interface ControlPlaneLifecycle {

    /**
     * Starts a server: validates the assets, binds HTTP, registers the access rules, the
     * workspaces and the live record, and starts the heartbeat.
     *
     * @throws ServerStartException when any step fails; every step already done was undone
     *                              (no listener, no record, no configuration is left)
     */
    ServerHandle start(ServerOptions options) throws ServerStartException;
}
