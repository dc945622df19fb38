package io.heddle.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.lifecycle.OwnershipPolicy;
import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.registry.ServerMode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** Several handles in one framework: each has its own endpoint and answers with its own facts. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MultipleServersIT extends InContainerTestBase {

    @Configuration
    public Option[] config() {
        return TestSupport.platform(TestSupport.newHome("multi"));
    }

    @Test
    public void twoHandlesServeOnTwoPortsEachWithItsOwnServerId() throws Exception {
        Path home = home();
        Path wsA = Files.createTempDirectory(home, "a");
        Path wsB = Files.createTempDirectory(home, "b");
        try (ServerHandle a = lifecycle.start(localOptions(ServerMode.DAEMON, wsA));
                ServerHandle b = lifecycle.start(
                        localOptions(ServerMode.EMBEDDED_CHAT, wsB).withOwnership(OwnershipPolicy.TAKE_OVER))) {
            assertThat(a.port()).isNotEqualTo(b.port());

            String hostA = RawHttp.get(a.port(), "/api/runtime-host").body;
            String hostB = RawHttp.get(b.port(), "/api/runtime-host").body;

            assertThat(hostA)
                    .contains("\"serverId\":\"" + a.serverId() + "\"")
                    .contains("\"mode\":\"daemon\"")
                    .contains("\"workspaceRoot\":\"" + wsA + "\"")
                    .doesNotContain(b.serverId());
            assertThat(hostB)
                    .contains("\"serverId\":\"" + b.serverId() + "\"")
                    .contains("\"mode\":\"embedded-chat\"")
                    .contains("\"workspaceRoot\":\"" + wsB + "\"")
                    .doesNotContain(a.serverId());
            assertThat(RawHttp.get(a.port(), "/api/health").body).contains(a.serverId());
            assertThat(RawHttp.get(b.port(), "/api/health").body).contains(b.serverId());
        }
    }
}
