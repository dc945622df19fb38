package io.heddle.itest.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heddle.api.heartbeat.HeartbeatDecision;
import io.heddle.api.heartbeat.HeartbeatRun;
import io.heddle.api.heartbeat.HeartbeatRunStatus;
import io.heddle.api.heartbeat.HeartbeatSchedule;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskState;
import io.heddle.api.heartbeat.HeartbeatTaskStatus;
import io.heddle.api.heartbeat.store.ClaimRequest;
import io.heddle.api.heartbeat.store.Completion;
import io.heddle.api.heartbeat.store.HeartbeatLease;
import io.heddle.api.heartbeat.store.HeartbeatTaskStore;
import io.heddle.api.heartbeat.store.TaskClaim;
import io.heddle.api.heartbeat.store.TaskStoreDescription;
import io.heddle.api.heartbeat.store.TaskWorkspace;
import io.heddle.api.heartbeat.store.WorkspaceTaskStore;
import io.heddle.itest.TestSupport;
import io.heddle.itest.support.HeddlePlatform;
import io.heddle.itest.support.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The PostgreSQL task store in the real platform against a real PostgreSQL 15 (Debian's, started
 * by {@link PostgresServer}): claims, leases, fencing, recovery, history, operator changes,
 * migrations, outages and bad configuration. Leases are timed by the database's clock, so the
 * tests use one-second leases and poll with deadlines; nothing sleeps.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PostgresTaskStoreIT {

    private static final Path HOME = TestSupport.newHome("postgres-store");
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String PID = "io.heddle.heartbeat.store.postgres";
    private static final String PASSWORD = "s3cret-pw-7d1e";
    private static final Duration SHORT = Duration.ofSeconds(1);
    private static final Duration LONG = Duration.ofSeconds(60);

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() throws IOException {
        PostgresServer server = PostgresServer.start().shareThroughSystemProperties();
        server.createDatabase("heddle", "heddle", PASSWORD);
        List<Option> extra = new ArrayList<>(List.of(HeddlePlatform.bundlesIn(
                TestSupport.distribution().resolve("bundles").resolve("postgres"))));
        return TestSupport.platform(HOME, extra.toArray(new Option[0]));
    }

    // --- claims, leases, fencing ---

    @Test
    public void eachDueOccurrenceIsClaimedByOneServerAmongMany() throws Exception {
        HeartbeatTaskStore store = useStore("claims", Map.of());
        WorkspaceTaskStore[] servers = {
            store.workspace(workspace("w1")), store.workspace(workspace("w2")), store.workspace(workspace("w3"))
        };
        HeartbeatTask task = servers[0].create(task("task-claim-once", "command"));
        Instant due = task.schedule().nextRunAt();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Optional<TaskClaim>>> claims = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                WorkspaceTaskStore server = servers[i % 3];
                String owner = "server-" + (i % 3);
                Callable<Optional<TaskClaim>> claim = () -> server.claim(
                        new ClaimRequest(
                                task.id(),
                                due,
                                owner,
                                "run-" + owner + "-" + Thread.currentThread().getId(),
                                LONG),
                        PostgresTaskStoreIT::running);
                claims.add(pool.submit(claim));
            }
            int granted = 0;
            for (Future<Optional<TaskClaim>> f : claims) {
                granted += f.get().isPresent() ? 1 : 0;
            }
            assertThat(granted).as("claims granted for one (taskId, dueAt)").isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void createAllStoresEveryTaskOrNoneWhenOneIdExists() {
        WorkspaceTaskStore store = useStore("create-all", Map.of()).workspace(workspace("w"));
        store.create(task("task-taken", "command"));
        assertThatThrownBy(() -> store.createAll(List.of(
                        task("task-new-1", "command"), task("task-taken", "command"), task("task-new-2", "command"))))
                .isInstanceOf(io.heddle.api.heartbeat.HeartbeatTaskConflictException.class)
                .hasMessageContaining("task-taken");
        assertThat(store.list()).extracting(HeartbeatTask::id).containsExactly("task-taken");

        store.createAll(List.of(task("task-new-1", "command"), task("task-new-2", "command")));
        assertThat(store.list())
                .extracting(HeartbeatTask::id)
                .containsExactlyInAnyOrder("task-taken", "task-new-1", "task-new-2");
    }

    @Test
    public void aCompletedOccurrenceIsNeverClaimedAgain() {
        WorkspaceTaskStore a = useStore("completed", Map.of()).workspace(workspace("w"));
        HeartbeatTask task = a.create(task("task-completed", "command"));
        Instant due = task.schedule().nextRunAt();
        TaskClaim claim = a.claim(
                        new ClaimRequest(task.id(), due, "server-a", "run-1", LONG), PostgresTaskStoreIT::running)
                .orElseThrow();
        assertThat(claim.task().state().status()).isEqualTo(HeartbeatTaskStatus.RUNNING);
        a.started(claim.lease(), run(claim.lease(), HeartbeatRunStatus.RUNNING));
        // an outcome that keeps the slot where it was: the occurrence must still not run again
        Completion done = a.complete(
                claim.lease(),
                run(claim.lease(), HeartbeatRunStatus.FINISHED),
                t -> t.withState(HeartbeatTaskState.created(Instant.now())));
        assertThat(done.result()).isEqualTo(Completion.Result.APPLIED);
        assertThat(a.claim(new ClaimRequest(task.id(), due, "server-b", "run-2", LONG), PostgresTaskStoreIT::running))
                .as("a second claim of the same (taskId, dueAt)")
                .isEmpty();
        assertThat(a.runs(task.id())).extracting(HeartbeatRun::status).containsExactly(HeartbeatRunStatus.FINISHED);
        assertThat(a.runs(task.id()).get(0).serverId()).isEqualTo("server-a");
    }

    @Test
    public void aLateResultOfASupersededHolderIsRecordedAsSupersededAndNotApplied() {
        WorkspaceTaskStore store = useStore("fencing", Map.of()).workspace(workspace("w"));
        HeartbeatTask task = store.create(task("task-fenced", "command"));
        Instant due = task.schedule().nextRunAt();
        HeartbeatLease first = store.claim(
                        new ClaimRequest(task.id(), due, "server-a", "run-a", SHORT), PostgresTaskStoreIT::running)
                .orElseThrow()
                .lease();
        store.started(first, run(first, HeartbeatRunStatus.RUNNING));
        // server b takes the occurrence over once a's lease lapsed by the database's clock
        AtomicReference<TaskClaim> second = new AtomicReference<>();
        Poll.until("server b claims the task after a's lease lapsed", DEADLINE, () -> {
            store.claim(new ClaimRequest(task.id(), due, "server-b", "run-b", LONG), PostgresTaskStoreIT::running)
                    .ifPresent(second::set);
            return second.get() != null;
        });
        assertThat(second.get().lease().fencingToken()).isGreaterThan(first.fencingToken());
        assertThat(store.renew(first, LONG))
                .as("the superseded holder's renewal")
                .isEmpty();

        Completion late = store.complete(
                first,
                run(first, HeartbeatRunStatus.FINISHED),
                t -> t.withSchedule(new HeartbeatSchedule(t.schedule().intervalMs(), Instant.EPOCH)));
        assertThat(late.result()).isEqualTo(Completion.Result.SUPERSEDED);
        assertThat(store.get(task.id()).orElseThrow().schedule().nextRunAt()).isEqualTo(due);
        assertThat(store.run(task.id(), "run-a").orElseThrow().status()).isEqualTo(HeartbeatRunStatus.SUPERSEDED);

        Instant next = due.plus(1, ChronoUnit.HOURS);
        Completion current = store.complete(
                second.get().lease(),
                run(second.get().lease(), HeartbeatRunStatus.FINISHED),
                t -> t.withState(HeartbeatTaskState.created(Instant.now()))
                        .withSchedule(new HeartbeatSchedule(t.schedule().intervalMs(), next)));
        assertThat(current.result()).isEqualTo(Completion.Result.APPLIED);
        assertThat(store.get(task.id()).orElseThrow().schedule().nextRunAt()).isEqualTo(next);
    }

    @Test
    public void theStoreNamesWhereItIsAndTheServersThatClaimedInItsNamespace() {
        HeartbeatTaskStore service = useStore("visible", Map.of());
        WorkspaceTaskStore store = service.workspace(workspace("w"));
        HeartbeatTask task = store.create(task("task-seen", "command"));
        store.claim(
                        new ClaimRequest(task.id(), task.schedule().nextRunAt(), "server-seen", "run-seen", LONG),
                        PostgresTaskStoreIT::running)
                .orElseThrow();

        TaskStoreDescription d = service.describe();
        assertThat(d.location())
                .containsEntry("host", "127.0.0.1")
                .containsEntry("port", Integer.toString(PostgresServer.shared().port()))
                .containsEntry("database", "heddle")
                .containsEntry("namespace", "visible");
        assertThat(d.toString()).doesNotContain(PASSWORD);
        Poll.until(
                "the probe read the servers of the namespace",
                DEADLINE,
                () -> service.describe().servers().stream()
                        .anyMatch(s -> s.serverId().equals("server-seen")));
        var seen = service.describe().servers().stream()
                .filter(s -> s.serverId().equals("server-seen"))
                .findFirst()
                .orElseThrow();
        assertThat(seen.lastClaimAt()).isNotNull();
        assertThat(seen.lastRenewAt()).isNull();
        assertThat(service.describe().servers()).extracting(s -> s.serverId()).doesNotContain("server-a");
    }

    @Test
    public void aRenewedLeaseKeepsOtherServersOut() {
        WorkspaceTaskStore store = useStore("renew", Map.of()).workspace(workspace("w"));
        HeartbeatTask task = store.create(task("task-renewed", "command"));
        Instant due = task.schedule().nextRunAt();
        HeartbeatLease lease = store.claim(
                        new ClaimRequest(task.id(), due, "server-a", "run-a", SHORT), PostgresTaskStoreIT::running)
                .orElseThrow()
                .lease();
        HeartbeatLease renewed = store.renew(lease, LONG).orElseThrow();
        assertThat(renewed.expiresAt()).isAfter(lease.expiresAt());
        assertThat(renewed.fencingToken()).isEqualTo(lease.fencingToken());
        assertThat(store.claim(
                        new ClaimRequest(task.id(), due, "server-b", "run-b", LONG), PostgresTaskStoreIT::running))
                .isEmpty();
        assertThat(store.recover(task.id(), "server-b", PostgresTaskStoreIT::interrupted))
                .isEmpty();
    }

    @Test
    public void anyServerRecoversAnExpiredLeaseAndTheRunIsRecordedInterrupted() {
        HeartbeatTaskStore service = useStore("recovery", Map.of());
        WorkspaceTaskStore a = service.workspace(workspace("machine-a"));
        WorkspaceTaskStore b = service.workspace(workspace("machine-b"));
        HeartbeatTask task = a.create(task("task-recovered", "command"));
        HeartbeatLease lease = a.claim(
                        new ClaimRequest(task.id(), task.schedule().nextRunAt(), "server-a", "run-a", SHORT),
                        PostgresTaskStoreIT::running)
                .orElseThrow()
                .lease();
        a.started(lease, run(lease, HeartbeatRunStatus.RUNNING));
        assertThat(b.get(task.id()).orElseThrow().state().status()).isEqualTo(HeartbeatTaskStatus.RUNNING);

        AtomicReference<WorkspaceTaskStore.Recovered> recovered = new AtomicReference<>();
        Poll.until("server b recovers the lapsed lease", DEADLINE, () -> {
            b.recover(task.id(), "server-b", PostgresTaskStoreIT::interrupted).ifPresent(recovered::set);
            return recovered.get() != null;
        });
        assertThat(b.get(task.id()).orElseThrow().state().status()).isEqualTo(HeartbeatTaskStatus.IDLE);
        HeartbeatRun left = b.run(task.id(), "run-a").orElseThrow();
        assertThat(left.status()).isEqualTo(HeartbeatRunStatus.INTERRUPTED);
        assertThat(left.serverId()).as("the run names the server that ran it").isEqualTo("server-a");
        assertThat(left.workspaceId()).as("read by b, named by b's catalog").isEqualTo("machine-b");
        // the crashed holder comes back late: its result is not applied
        assertThat(a.complete(lease, run(lease, HeartbeatRunStatus.FINISHED), t -> t)
                        .result())
                .isEqualTo(Completion.Result.SUPERSEDED);
    }

    // --- tasks, runners, history ---

    @Test
    public void aServerNeverClaimsARunnerKindItWasNotGiven() {
        WorkspaceTaskStore store = useStore("runners", Map.of()).workspace(workspace("w"));
        HeartbeatTask task = store.create(task("task-agent", "agent"));
        assertThat(store.list()).extracting(HeartbeatTask::id).contains("task-agent");
        assertThat(store.claim(
                        new ClaimRequest(task.id(), task.schedule().nextRunAt(), "server-a", "run-a", LONG),
                        PostgresTaskStoreIT::running))
                .isEmpty();
    }

    @Test
    public void historyKeepsTheNewestHistoryLimitRuns() {
        WorkspaceTaskStore store =
                useStore("history", Map.of("historyLimit", "3")).workspace(workspace("w"));
        HeartbeatTask task = store.create(task("task-history", "command"));
        for (int i = 0; i < 5; i++) {
            HeartbeatTask now = store.get(task.id()).orElseThrow();
            Instant due = now.schedule().nextRunAt();
            HeartbeatLease lease = store.claim(
                            new ClaimRequest(task.id(), due, "server-a", "run-" + i, LONG),
                            PostgresTaskStoreIT::running)
                    .orElseThrow()
                    .lease();
            store.complete(
                    lease,
                    run(lease, HeartbeatRunStatus.FINISHED),
                    t -> t.withState(HeartbeatTaskState.created(Instant.now()))
                            .withSchedule(new HeartbeatSchedule(t.schedule().intervalMs(), due.plusSeconds(1))));
        }
        assertThat(store.runs(task.id())).extracting(HeartbeatRun::id).containsExactly("run-4", "run-3", "run-2");
    }

    @Test
    public void concurrentOperatorChangesAreAllApplied() throws Exception {
        WorkspaceTaskStore store = useStore("controls", Map.of()).workspace(workspace("w"));
        HeartbeatTask task = store.create(task("task-controls", "command"));
        String revision = store.revision();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> changes = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                changes.add(pool.submit(() -> store.update(
                        task.id(),
                        t -> new HeartbeatTask(
                                t.id(),
                                Integer.toString(Integer.parseInt(t.name()) + 1),
                                t.task(),
                                !t.enabled(),
                                t.continuationMode(),
                                t.runner(),
                                t.runnerConfig(),
                                t.schedule(),
                                t.state(),
                                t.createdAt(),
                                Instant.now()))));
            }
            for (Future<?> f : changes) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        HeartbeatTask after = store.get(task.id()).orElseThrow();
        assertThat(after.name()).isEqualTo("40");
        assertThat(after.enabled()).isTrue();
        assertThat(store.revision()).isNotEqualTo(revision);
        assertThat(store.delete(task.id())).isTrue();
        assertThat(store.get(task.id())).isEmpty();
    }

    // --- schema ---

    @Test
    public void migratesAnEmptyDatabaseAndOneAtThePreviousSchemaVersion() throws Exception {
        PostgresServer server = PostgresServer.shared();
        server.sql("postgres", "CREATE DATABASE legacy OWNER heddle");
        server.sql("legacy", "ALTER SCHEMA public OWNER TO heddle");
        // schema version 1, as a server of the previous version left it, with one task in it
        String v1 = Files.readString(
                Path.of(System.getProperty(
                                "heddle.postgresMigrations",
                                "../bundles/heartbeat-store-postgres/src/main/resources/io/heddle/heartbeat/store/postgres/internal"
                                        + "/migrations"))
                        .resolve("V1__tasks_leases_runs.sql"),
                StandardCharsets.UTF_8);
        server.sql(
                "legacy",
                "SET ROLE heddle; " + v1 + "; CREATE TABLE heddle_schema_version (version integer"
                        + " PRIMARY KEY, script text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());"
                        + " INSERT INTO heddle_schema_version (version, script) VALUES (1, 'V1__tasks_leases_runs.sql')");
        // a task as the store writes it, copied into the old schema
        WorkspaceTaskStore before = useStore("migrations", Map.of()).workspace(workspace("w"));
        before.create(task("task-kept", "command"));
        String body = server.sql("heddle", "SELECT body FROM heddle_tasks WHERE namespace = 'migrations'");
        server.sql(
                "legacy",
                "INSERT INTO heddle_tasks (namespace, id, workspace_key, runner, enabled, body) VALUES"
                        + " ('migrations', 'task-kept', 'key-w', 'command', true, '" + body.replace("'", "''") + "')");
        assertThat(server.sql("heddle", "SELECT max(version) FROM heddle_schema_version"))
                .as("the empty database went to the latest version")
                .isEqualTo("2");

        WorkspaceTaskStore after =
                useStore("migrations", Map.of("url", server.jdbcUrl("legacy"))).workspace(workspace("w"));
        assertThat(after.list()).extracting(HeartbeatTask::id).containsExactly("task-kept");
        assertThat(server.sql(
                        "legacy",
                        "SELECT string_agg(version::text, ',' ORDER BY version) FROM" + " heddle_schema_version"))
                .isEqualTo("1,2");
        assertThat(server.sql("legacy", "SELECT count(*) FROM heddle_servers")).isEqualTo("0");
    }

    // --- failures ---

    @Test
    public void whileTheDatabaseIsDownTheStoreSaysWhyAndResumesWhenItIsBack() throws Exception {
        HeartbeatTaskStore service = useStore("outage", Map.of());
        WorkspaceTaskStore store = service.workspace(workspace("w"));
        store.create(task("task-survives", "command"));
        PostgresServer server = PostgresServer.shared();
        server.stop();
        try {
            // the first call may meet a pooled connection the shutdown closed; either way the cause is named
            assertThatThrownBy(store::list)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageStartingWith("PostgreSQL at 127.0.0.1:" + server.port());
            Poll.until("the store reports the server unreachable", DEADLINE, () -> {
                String problem = service.describe().problem();
                return problem != null && problem.contains("cannot be reached");
            });
            assertThatThrownBy(store::list)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessage(service.describe().problem());
        } finally {
            server.restart();
        }
        Poll.until(
                "the store is available again",
                DEADLINE,
                () -> service.describe().available());
        assertThat(store.list()).extracting(HeartbeatTask::id).contains("task-survives");
    }

    @Test
    public void aResultRefusedWhileTheDatabaseIsDownIsAppliedWhenOfferedAgainAfterIt() throws Exception {
        HeartbeatTaskStore service = useStore("late-result", Map.of());
        WorkspaceTaskStore store = service.workspace(workspace("w"));
        HeartbeatTask task = store.create(task("task-late", "command"));
        Instant due = task.schedule().nextRunAt();
        HeartbeatLease lease = store.claim(
                        new ClaimRequest(task.id(), due, "server-a", "run-a", LONG), PostgresTaskStoreIT::running)
                .orElseThrow()
                .lease();
        store.started(lease, run(lease, HeartbeatRunStatus.RUNNING));
        Instant next = due.plus(1, ChronoUnit.HOURS);
        java.util.function.UnaryOperator<HeartbeatTask> outcome =
                t -> t.withState(HeartbeatTaskState.created(Instant.now()))
                        .withSchedule(new HeartbeatSchedule(t.schedule().intervalMs(), next));
        PostgresServer server = PostgresServer.shared();
        server.stop();
        try {
            assertThatThrownBy(() -> store.complete(lease, run(lease, HeartbeatRunStatus.FINISHED), outcome))
                    .isInstanceOf(UncheckedIOException.class);
        } finally {
            server.restart();
        }
        Poll.until(
                "the store is available again",
                DEADLINE,
                () -> service.describe().available());

        Completion done = store.complete(lease, run(lease, HeartbeatRunStatus.FINISHED), outcome);

        assertThat(done.result()).isEqualTo(Completion.Result.APPLIED);
        assertThat(store.get(task.id()).orElseThrow().schedule().nextRunAt()).isEqualTo(next);
        assertThat(store.run(task.id(), "run-a").orElseThrow().status()).isEqualTo(HeartbeatRunStatus.FINISHED);
    }

    @Test
    public void aWrongPasswordIsOneClearProblemThatNeverShowsThePassword() throws Exception {
        Path wrong = passwordFile("wrong-password", "not-the-" + PASSWORD);
        HeartbeatTaskStore service = useStoreUnavailable(Map.of("passwordFile", wrong.toString()));
        assertThat(service.describe().problem())
                .contains("refused the password of user heddle")
                .doesNotContain(PASSWORD);
        assertThatThrownBy(() -> service.workspace(workspace("w")).list())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("refused the password");
        assertThat(service.describe().description()).doesNotContain(PASSWORD);
    }

    @Test
    public void aBadUrlIsOneClearProblem() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        HeartbeatTaskStore service =
                useStoreUnavailable(Map.of("url", "jdbc:postgresql://127.0.0.1:" + closed + "/heddle"));
        assertThat(service.describe().problem()).contains("127.0.0.1:" + closed + " cannot be reached");
        HeartbeatTaskStore notJdbc = useStoreUnavailable(Map.of("url", "postgres://127.0.0.1/heddle"));
        assertThat(notJdbc.describe().problem()).contains("url must start with jdbc:postgresql://");
    }

    @Test
    public void aMissingSchemaPrivilegeIsOneClearProblem() throws Exception {
        PostgresServer server = PostgresServer.shared();
        server.sql("postgres", "CREATE ROLE reader LOGIN PASSWORD '" + PASSWORD + "'");
        server.sql("postgres", "CREATE DATABASE locked OWNER postgres");
        server.sql("locked", "REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        HeartbeatTaskStore service = useStoreUnavailable(Map.of("user", "reader", "url", server.jdbcUrl("locked")));
        assertThat(service.describe().problem()).contains("user reader lacks a privilege on database locked");
    }

    @Test
    public void aPasswordFileOthersCanReadIsRefused() throws Exception {
        Path open = passwordFile("open-password", PASSWORD);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        HeartbeatTaskStore service = useStoreUnavailable(Map.of("passwordFile", open.toString()));
        assertThat(service.describe().problem())
                .isEqualTo("passwordFile " + open + " can be read by others: run" + " chmod 600 " + open);
        HeartbeatTaskStore noRunners = useStoreUnavailable(Map.of("runners", " "));
        assertThat(noRunners.describe().problem()).startsWith("runners is missing");
    }

    // --- helpers ---

    /** Configures the store for {@code namespace} (plus {@code overrides}) and waits until it can be used. */
    private HeartbeatTaskStore useStore(String namespace, Map<String, String> overrides) {
        HeartbeatTaskStore store = configure(namespace, overrides);
        Poll.until(
                "the store is available: " + store.describe(),
                DEADLINE,
                () -> store.describe().available());
        return store;
    }

    /** Configures the store and waits until it says why it cannot be used. */
    private HeartbeatTaskStore useStoreUnavailable(Map<String, String> overrides) {
        HeartbeatTaskStore store = configure("broken", overrides);
        Poll.until("the store names its problem", DEADLINE, () -> {
            TaskStoreDescription d = store.describe();
            return d.problem() != null && !d.problem().startsWith("connecting to");
        });
        return store;
    }

    private HeartbeatTaskStore configure(String namespace, Map<String, String> overrides) {
        try {
            PostgresServer server = PostgresServer.shared();
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("url", server.jdbcUrl("heddle"));
            props.put("user", "heddle");
            props.put("passwordFile", passwordFile("password", PASSWORD).toString());
            props.put("namespace", namespace);
            props.put("runners", "command");
            props.put("leaseTtlMs", "1000");
            props.put("itest.generation", Long.toString(System.nanoTime()));
            overrides.forEach(props::put);
            String generation = (String) props.get("itest.generation");
            configAdmin.getConfiguration(PID, "?").update(props);
            AtomicReference<HeartbeatTaskStore> found = new AtomicReference<>();
            Poll.until("the store of configuration " + generation + " is registered", DEADLINE, () -> {
                try {
                    var refs = context.getServiceReferences(
                            HeartbeatTaskStore.class, "(itest.generation=" + generation + ")");
                    if (refs.isEmpty()) {
                        return false;
                    }
                    ServiceReference<HeartbeatTaskStore> ref = refs.iterator().next();
                    found.set(context.getService(ref));
                    return found.get() != null;
                } catch (org.osgi.framework.InvalidSyntaxException e) {
                    throw new IllegalStateException(e);
                }
            });
            return found.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path passwordFile(String name, String password) throws IOException {
        Path file = HOME.resolve(name);
        Files.createDirectories(HOME);
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static TaskWorkspace workspace(String localId) {
        return new TaskWorkspace(
                localId, "key-w", HOME.resolve("ws"), HOME.resolve("ws").resolve(".heddle"));
    }

    private static HeartbeatTask task(String id, String runner) {
        Instant now = Instant.now();
        return new HeartbeatTask(
                id,
                "0",
                "a test task",
                true,
                null,
                runner,
                Map.of("argv", List.of("true")),
                new HeartbeatSchedule(60_000, now.minusSeconds(1)),
                HeartbeatTaskState.created(now),
                now,
                now);
    }

    private static HeartbeatTask running(HeartbeatTask t) {
        Instant now = Instant.now();
        return t.withState(new HeartbeatTaskState(
                HeartbeatTaskStatus.RUNNING, null, now, null, null, now, null, null, 0, "run", null));
    }

    private static WorkspaceTaskStore.Recovered interrupted(
            HeartbeatTask task, HeartbeatLease lapsed, HeartbeatRun run) {
        Instant now = Instant.now();
        HeartbeatTask idle = task.withState(new HeartbeatTaskState(
                HeartbeatTaskStatus.IDLE,
                null,
                null,
                null,
                "interrupted: the lease lapsed",
                now,
                null,
                null,
                0,
                task.state().lastRunId(),
                null));
        HeartbeatRun left = run == null
                ? null
                : new HeartbeatRun(
                        run.id(),
                        run.taskId(),
                        run.workspaceId(),
                        run.serverId(),
                        run.runner(),
                        run.trigger(),
                        run.dueAt(),
                        run.startedAt(),
                        now,
                        HeartbeatRunStatus.INTERRUPTED,
                        null,
                        null,
                        run.details(),
                        "interrupted: the lease lapsed");
        return new WorkspaceTaskStore.Recovered(idle, left);
    }

    private static HeartbeatRun run(HeartbeatLease lease, HeartbeatRunStatus status) {
        Instant now = Instant.now();
        boolean running = status == HeartbeatRunStatus.RUNNING;
        return new HeartbeatRun(
                lease.runId(),
                lease.taskId(),
                "ws",
                lease.owner(),
                "command",
                "schedule",
                lease.dueAt(),
                now,
                running ? null : now,
                status,
                running ? null : HeartbeatDecision.CONTINUE,
                running ? null : "done",
                Map.of(),
                null);
    }
}
