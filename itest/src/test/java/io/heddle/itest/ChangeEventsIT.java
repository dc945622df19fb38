package io.heddle.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.registry.ServerMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Creates, edits and deletes of workspaces and tasks reach {@code GET /api/events}, so an open
 * page follows them without polling.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ChangeEventsIT extends InContainerTestBase {

    private ServerHandle server;
    private HeartbeatHttp api;
    private EventStreamReader events;

    @Configuration
    public Option[] config() {
        return TestSupport.platform(TestSupport.newHome("change-events"));
    }

    @Before
    public void start() throws Exception {
        Path ws = newFolder("ws");
        server = start(localOptions(ServerMode.DAEMON, ws));
        api = new HeartbeatHttp(server);
        events = new EventStreamReader(server.endpointUrl(), null);
    }

    @After
    public void close() throws Exception {
        events.close();
    }

    private static EventStreamReader.Sse expect(
            EventStreamReader events, String name, String key, Object value, String change) {
        return events.await(
                name + " " + key + "=" + value + (change == null ? "" : " change=" + change),
                e -> e.event().equals(name)
                        && value.equals(e.data().get(key))
                        && (change == null || change.equals(e.data().get("change"))));
    }

    @Test
    public void workspaceCreateRenameAndActivateAreEvents() throws Exception {
        Path other = newFolder("other");

        HeartbeatHttp.Answer created = api.post(
                "/api/workspaces",
                "{\"workspaceRoot\": \"" + other.toString().replace("\\", "\\\\") + "\", \"name\": \"second\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = (String) created.json().get("id");
        EventStreamReader.Sse createdEvent = expect(events, "workspaces.changed", "workspaceId", id, "created");

        assertThat(createdEvent.data())
                .containsEntry("name", "second")
                .containsEntry("topic", "io/heddle/workspaces/CHANGED")
                .containsEntry("stateRoot", server.stateRoot().toString());

        assertThat(api.patch("/api/workspaces/" + id, "{\"name\": \"renamed\"}").status())
                .isEqualTo(200);
        assertThat(expect(events, "workspaces.changed", "workspaceId", id, "renamed")
                        .data())
                .containsEntry("name", "renamed");

        RawHttp.Response active = RawHttp.send(
                server.port(),
                "PUT",
                "/api/workspaces/active",
                Map.of("Authorization", "Bearer " + server.token(), "Content-Type", "application/json"),
                ("{\"workspaceId\": \"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(active.status).as(active.toString()).isEqualTo(200);
        expect(events, "workspaces.changed", "workspaceId", id, "activated");
    }

    @Test
    public void taskCreateEditAndDeleteAreEvents() throws Exception {
        String ws = api.activeWorkspaceId();
        String tasks = "/api/workspaces/" + ws + "/heartbeat/tasks";

        HeartbeatHttp.Answer created = api.post(
                tasks,
                "{\"name\": \"watched\", \"task\": \"nothing\","
                        + " \"enabled\": false, \"schedule\": {\"intervalMs\": 3600000}, \"runner\": \"itest-absent\","
                        + " \"runnerConfig\": {}}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = (String) created.json().get("id");
        assertThat(expect(events, "heartbeat.task.created", "taskId", id, null).data())
                .containsEntry("workspaceId", ws)
                .containsEntry("name", "watched");

        assertThat(api.patch(tasks + "/" + id, "{\"name\": \"watched again\"}").status())
                .isEqualTo(200);
        expect(events, "heartbeat.task.updated", "taskId", id, "edited");

        assertThat(api.delete(tasks + "/" + id).status()).isEqualTo(200);
        assertThat(expect(events, "heartbeat.task.deleted", "taskId", id, null).data())
                .containsEntry("workspaceId", ws);
    }
}
