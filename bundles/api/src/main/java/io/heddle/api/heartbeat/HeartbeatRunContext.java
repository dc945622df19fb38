package io.heddle.api.heartbeat;

import java.nio.file.Path;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/** What a runner gets for one run. */
@ProviderType
public interface HeartbeatRunContext {

    /** The server whose scheduler runs the task. */
    String serverId();

    String workspaceId();

    /** The workspace folder (e.g. the working directory of a command). */
    Path workspaceRoot();

    /** The workspace's state folder. */
    Path stateRoot();

    /** The task as it was when the run started. */
    HeartbeatTask task();

    String runId();

    /** Shorthand for {@code task().runnerConfig()}. */
    default Map<String, Object> runnerConfig() {
        return task().runnerConfig();
    }

    /** Records a progress line on the task ({@code state.progress}); call it sparingly. */
    void progress(String message);

    /**
     * Whether the scheduler asks the run to stop (the server is stopping). The running thread is
     * interrupted too; a runner should return or throw promptly.
     */
    boolean cancelled();
}
