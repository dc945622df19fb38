package io.heddle.heartbeat.store.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresStoreSettingsTest {

    @TempDir
    Path dir;

    private Map<String, Object> props(Path passwordFile) {
        Map<String, Object> p = new HashMap<>();
        p.put("url", "jdbc:postgresql://db.example:6543/tasks?sslmode=require");
        p.put("user", "heddle");
        p.put("passwordFile", passwordFile.toString());
        p.put("namespace", "team");
        p.put("runners", "command, agent");
        return p;
    }

    private Path secret(String content, String permissions) throws Exception {
        Path file = dir.resolve("pgpass");
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    @Test
    void readsThePasswordFileWithoutItsTrailingNewlineAndNeverPrintsIt() throws Exception {
        PostgresStoreSettings s = PostgresStoreSettings.parse(props(secret("hunter2-pw\n", "rw-------")), k -> null);
        assertThat(new String(s.password())).isEqualTo("hunter2-pw");
        assertThat(s.host()).isEqualTo("db.example");
        assertThat(s.port()).isEqualTo(6543);
        assertThat(s.database()).isEqualTo("tasks");
        assertThat(s.runners()).containsExactly("command", "agent");
        assertThat(s.leaseTtlMs()).isEqualTo(PostgresStoreSettings.DEFAULT_LEASE_TTL_MS);
        assertThat(s.toString()).doesNotContain("hunter2");
        assertThat(s.describe()).isEqualTo("postgresql://db.example:6543/tasks namespace team");
    }

    @Test
    void refusesAPasswordFileOthersCanRead() throws Exception {
        Path file = secret("pw\n", "rw-r-----");
        assertThatThrownBy(() -> PostgresStoreSettings.parse(props(file), k -> null))
                .hasMessage("passwordFile " + file + " can be read by others: run chmod 600 " + file);
    }

    @Test
    void readsThePasswordFromTheNamedVariableAndNamesAnUnsetOne() throws Exception {
        Map<String, Object> p = props(dir.resolve("unused"));
        p.remove("passwordFile");
        p.put("passwordEnv", "HEDDLE_PG_PASSWORD");
        assertThat(new String(PostgresStoreSettings.parse(p, k -> k.equals("HEDDLE_PG_PASSWORD") ? "v" : null)
                        .password()))
                .isEqualTo("v");
        assertThatThrownBy(() -> PostgresStoreSettings.parse(p, k -> null))
                .hasMessageStartingWith("passwordEnv names HEDDLE_PG_PASSWORD, which is not set");
    }

    @Test
    void requiresRunnersAndAJdbcUrlWithoutAPassword() throws Exception {
        Path file = secret("pw", "rw-------");
        Map<String, Object> p = props(file);
        p.remove("runners");
        assertThatThrownBy(() -> PostgresStoreSettings.parse(p, k -> null))
                .hasMessageStartingWith("runners is missing");
        Map<String, Object> q = props(file);
        q.put("url", "jdbc:postgresql://h/db?password=oops");
        assertThatThrownBy(() -> PostgresStoreSettings.parse(q, k -> null))
                .hasMessageStartingWith("url must not carry the password")
                .hasMessageNotContaining("oops");
        Map<String, Object> r = props(file);
        r.put("leaseTtlMs", "10");
        assertThatThrownBy(() -> PostgresStoreSettings.parse(r, k -> null))
                .hasMessageStartingWith("leaseTtlMs 10 is out of range");
    }
}
