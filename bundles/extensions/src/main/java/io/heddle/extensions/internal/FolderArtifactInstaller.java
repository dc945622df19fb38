package io.heddle.extensions.internal;

import java.io.File;
import java.nio.file.Path;
import org.apache.felix.fileinstall.ArtifactInstaller;

/**
 * FileInstall's hand-off for the jars of the extensions folder. Registered as a service,
 * FileInstall asks it before its own bundle handling, so every jar of the folder is deployed
 * by {@link ExtensionDeployer}'s rules and no other jar is touched.
 */
final class FolderArtifactInstaller implements ArtifactInstaller {

    private final ExtensionDeployer deployer;

    FolderArtifactInstaller(ExtensionDeployer deployer) {
        this.deployer = deployer;
    }

    @Override
    public boolean canHandle(File artifact) {
        String name = artifact.getName();
        Path parent = artifact.toPath().toAbsolutePath().normalize().getParent();
        return deployer.folder().equals(parent) && name.endsWith(".jar") && !name.startsWith(".");
    }

    /** A new jar: FileInstall saw the same size and time on two scans in a row. */
    @Override
    public void install(File artifact) {
        deployer.deploy(artifact.toPath(), false);
    }

    /** A changed jar: FileInstall may report it after one look, so the deployer looks once more. */
    @Override
    public void update(File artifact) {
        deployer.deploy(artifact.toPath(), true);
    }

    @Override
    public void uninstall(File artifact) {
        deployer.remove(artifact.toPath());
    }
}
