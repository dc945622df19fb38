package io.heddle.heartbeat.internal;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The base of the tests that work on a {@link SchedulerFixture} in a fresh temporary folder per test. */
abstract class SchedulerFixtureTestBase {

    @TempDir
    Path dir;

    SchedulerFixture f;

    @BeforeEach
    void newFixture() throws Exception {
        f = new SchedulerFixture(dir);
    }
}
