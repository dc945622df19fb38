package io.heddle.api.heartbeat;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A kind of heartbeat task, contributed as an OSGi service (whiteboard) with the service
 * property {@value #KIND}: a task whose {@code runner} is that kind is run by this service.
 * When several services offer one kind, the highest service ranking wins.
 *
 * <pre>
 * &#64;Component(property = HeartbeatTaskRunner.KIND + "=my-kind")
 * public final class MyRunner implements HeartbeatTaskRunner { ... }
 * </pre>
 *
 * <p>A run may take long; it runs on a scheduler worker thread, never twice at once for one
 * task (also not across servers sharing a workspace). When the server stops, the thread is
 * interrupted after a timeout and the run is recorded as interrupted.
 */
@ConsumerType
public interface HeartbeatTaskRunner {

    /** The service property naming the kind of task this runner runs. */
    String KIND = "heddle.runner";

    /**
     * Runs the task once.
     *
     * @return the decision, summary and details of this run
     * @throws HeartbeatRunException when the run failed (the task is retried after a backoff)
     * @throws InterruptedException  when the run was cancelled
     */
    HeartbeatRunResult run(HeartbeatRunContext context) throws HeartbeatRunException, InterruptedException;

    /**
     * Checks a task's {@code runnerConfig} when the task is created or changed, so that bad
     * input is refused up front with a 400 that names the field.
     *
     * @throws HeartbeatTaskValidationException naming the field, e.g. {@code runnerConfig.argv}
     */
    default void validate(Map<String, Object> runnerConfig) {
        // any configuration is accepted unless the runner says otherwise
    }
}
