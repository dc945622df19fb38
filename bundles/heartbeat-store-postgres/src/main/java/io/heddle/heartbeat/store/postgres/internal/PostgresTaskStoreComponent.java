package io.heddle.heartbeat.store.postgres.internal;

import io.heddle.api.health.HealthContributor;
import io.heddle.api.health.HealthProblem;
import io.heddle.api.heartbeat.store.HeartbeatTaskStore;
import io.heddle.api.heartbeat.store.TaskStoreDescription;
import io.heddle.api.heartbeat.store.TaskWorkspace;
import io.heddle.api.heartbeat.store.WorkspaceTaskStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL task store, present while {@code etc/io.heddle.heartbeat.store.postgres.cfg}
 * exists. A bad configuration still registers the store, unusable and saying why: the server
 * then keeps its tasks nowhere else (its file tasks are not run behind the operator's back) and
 * health names the problem.
 */
@Component(
        configurationPid = PostgresStoreSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {HeartbeatTaskStore.class, HealthContributor.class},
        property = HeartbeatTaskStore.KIND + "=postgresql")
public final class PostgresTaskStoreComponent implements HeartbeatTaskStore, HealthContributor {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresTaskStoreComponent.class);

    private PostgresDatabase db;
    private String description;
    private String settingsProblem;
    private String where = "etc/" + PostgresStoreSettings.PID + ".cfg";
    private String lastProblem;
    private Instant problemSince;

    @Activate
    void activate(Map<String, Object> properties) {
        try {
            PostgresStoreSettings settings = PostgresStoreSettings.parse(properties, System::getenv);
            description = "PostgreSQL " + settings.describe() + ", runners " + String.join(",", settings.runners());
            where = "postgresql://" + settings.host() + ":" + settings.port() + "/" + settings.database();
            db = new PostgresDatabase(settings);
            LOG.info("Heartbeat tasks are kept in {}", description);
        } catch (PostgresStoreSettings.BadSettings e) {
            description = "PostgreSQL (not configured correctly)";
            settingsProblem = e.getMessage();
            LOG.error("The PostgreSQL task store cannot start: {}", settingsProblem);
        }
    }

    @Deactivate
    void deactivate() {
        if (db != null) {
            db.close();
        }
    }

    @Override
    public TaskStoreDescription describe() {
        if (db == null) {
            return new TaskStoreDescription("postgresql", description, settingsProblem);
        }
        PostgresStoreSettings s = db.settings();
        Map<String, String> location = new LinkedHashMap<>();
        location.put("host", s.host());
        location.put("port", String.valueOf(s.port()));
        location.put("database", s.database());
        location.put("namespace", s.namespace());
        return new TaskStoreDescription("postgresql", description, db.problem(), location, db.servers());
    }

    /** The store's problem for {@code /api/health} (from memory: the probe keeps it current). */
    @Override
    public synchronized List<HealthProblem> problems() {
        String problem = describe().problem();
        if (problem == null) {
            lastProblem = null;
            return List.of();
        }
        if (!problem.equals(lastProblem)) {
            lastProblem = problem;
            problemSince = Instant.now();
        }
        return List.of(new HealthProblem("heartbeat-store-postgres", where, problem, problemSince));
    }

    @Override
    public WorkspaceTaskStore workspace(TaskWorkspace workspace) {
        if (db != null) {
            return new PostgresWorkspaceTaskStore(db, workspace);
        }
        String problem = settingsProblem;
        return (WorkspaceTaskStore) Proxy.newProxyInstance(
                WorkspaceTaskStore.class.getClassLoader(),
                new Class<?>[] {WorkspaceTaskStore.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "workspace":
                            return workspace;
                        case "toString":
                            return "unusable PostgreSQL task store: " + problem;
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            throw new UncheckedIOException(problem, new IOException(problem));
                    }
                });
    }
}
