package io.heddle.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.registry.ServerMode;
import io.heddle.itest.support.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/** The endpoints bundle can come and go under an open server. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HttpBundleRestartIT extends InContainerTestBase {

    @Configuration
    public Option[] config() {
        return TestSupport.platform(TestSupport.newHome("http-restart"));
    }

    private Bundle httpBundle() {
        return Arrays.stream(context.getBundles())
                .filter(b -> "io.heddle.http".equals(b.getSymbolicName()))
                .findFirst()
                .orElseThrow();
    }

    private static int status(ServerHandle handle) {
        try {
            return RawHttp.get(handle.port(), "/api/health").status;
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    @Test
    public void restartingTheHttpBundleServesTheEndpointsAgain() throws Exception {
        Path ws = newFolder("ws");
        ServerHandle handle = lifecycle.start(localOptions(ServerMode.DAEMON, ws));
        try {
            assertThat(status(handle)).isEqualTo(200);

            httpBundle().stop();
            Poll.until("the endpoints are gone", Duration.ofSeconds(10), () -> status(handle) == 404);

            httpBundle().start();
            Poll.until("the endpoints serve again", Duration.ofSeconds(10), () -> status(handle) == 200);
            assertThat(RawHttp.get(handle.port(), "/api/health").body).contains(handle.serverId());
        } finally {
            handle.close();
        }
        assertThat(registry.read().server()).isEmpty();
    }

    @Test
    public void closeWorksWhileTheHttpBundleIsStopped() throws Exception {
        Path ws = newFolder("ws");
        ServerHandle handle = lifecycle.start(localOptions(ServerMode.DAEMON, ws));
        httpBundle().stop();
        try {
            handle.close();

            assertThat(registry.read().server()).isEmpty();
            assertThat(TestSupport.listens(handle.port())).isFalse();
            assertThat(handle.tokenFile()).doesNotExist();
        } finally {
            httpBundle().start();
        }
    }
}
