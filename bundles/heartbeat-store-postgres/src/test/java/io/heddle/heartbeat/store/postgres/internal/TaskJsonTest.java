package io.heddle.heartbeat.store.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.heartbeat.HeartbeatRun;
import io.heddle.api.heartbeat.HeartbeatTask;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TaskJsonTest {

    private static final String TASK = "{\"id\":\"t-1\",\"name\":\"nightly\",\"task\":\"check the build\","
            + "\"enabled\":true,\"continuationMode\":\"operator\",\"runner\":\"command\","
            + "\"runnerConfig\":{\"argv\":[\"make\",\"check\"]},"
            + "\"schedule\":{\"intervalMs\":60000,\"nextRunAt\":\"2026-12-03T14:00:00.123456789Z\",\"jitter\":5},"
            + "\"state\":{\"status\":\"failed\",\"progress\":null,\"runAt\":\"2026-12-03T13:59:00.000001Z\","
            + "\"result\":null,\"error\":\"exit 2\",\"updatedAt\":\"2026-12-03T13:59:01Z\",\"needs\":null,"
            + "\"message\":null,\"failures\":3,\"lastRunId\":\"r-9\",\"runRequestedAt\":null,"
            + "\"lastError\":{\"at\":\"2026-12-03T13:59:01.500Z\",\"message\":\"exit 2\"},\"hint\":\"newer\"},"
            + "\"createdAt\":\"2026-12-01T00:00:00Z\",\"updatedAt\":\"2026-12-03T13:59:01.000000002Z\","
            + "\"owner\":{\"team\":\"ops\"}}";

    private static final String RUN = "{\"id\":\"r-9\",\"taskId\":\"t-1\",\"workspaceId\":\"w-1\","
            + "\"serverId\":\"daemon-1\",\"runner\":\"command\",\"trigger\":\"schedule\","
            + "\"dueAt\":\"2026-12-03T13:59:00.000001Z\",\"startedAt\":\"2026-12-03T13:59:00.200Z\","
            + "\"finishedAt\":null,\"status\":\"running\",\"decision\":null,\"summary\":null,"
            + "\"details\":{\"pid\":42},\"error\":null}";

    @Test
    void aTaskIsWrittenBackAsReadWithFullPrecisionInstantsAndUnknownMembersKept() throws Exception {
        HeartbeatTask task = TaskJson.decodeTask(TASK);

        assertThat(task.schedule().nextRunAt()).isEqualTo(Instant.parse("2026-12-03T14:00:00.123456789Z"));
        assertThat(TaskJson.encodeTask(task)).isEqualTo(TASK);
    }

    @Test
    void aRunIsWrittenBackAsReadWithFullPrecisionInstants() throws Exception {
        HeartbeatRun run = TaskJson.decodeRun(RUN);

        assertThat(run.dueAt()).isEqualTo(Instant.parse("2026-12-03T13:59:00.000001Z"));
        assertThat(TaskJson.encodeRun(run)).isEqualTo(RUN);
    }
}
