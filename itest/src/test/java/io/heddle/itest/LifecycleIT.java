package io.heddle.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.lifecycle.ControlPlaneLifecycle;
import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.lifecycle.ServerOptions;
import io.heddle.api.registry.DaemonRegistry;
import io.heddle.api.registry.ServerMode;
import java.nio.file.Path;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LifecycleIT {

    private static final Path HOME = TestSupport.newHome("lifecycle");

    @Inject
    private BundleContext context;

    @Inject
    private ControlPlaneLifecycle lifecycle;

    @Inject
    private DaemonRegistry registry;

    @Configuration
    public Option[] config() {
        return TestSupport.platform(HOME);
    }

    @Test
    public void daemonHandleRecordsItselfAndCloseRemovesTheRecord() throws Exception {
        Path workspace = java.nio.file.Files.createTempDirectory(HOME, "ws");
        ServerHandle handle = lifecycle.start(ServerOptions.of(ServerMode.DAEMON, "127.0.0.1", 0, workspace));
        try {
            for (org.osgi.framework.ServiceReference<?> ref : context.getAllServiceReferences(
                    "org.osgi.service.servlet.runtime.HttpServiceRuntime", null)) {
                System.out.println("RUNTIME " + java.util.Arrays.toString(ref.getPropertyKeys()));
                for (String k : ref.getPropertyKeys()) {
                    System.out.println("  " + k + "=" + ref.getProperty(k));
                }
            }
            assertThat(handle.port()).isPositive();
            var server = registry.read().server().orElseThrow();
            assertThat(server.serverId()).isEqualTo(handle.serverId());
            assertThat(server.mode()).isEqualTo(ServerMode.DAEMON);
            assertThat(server.host()).isEqualTo("127.0.0.1");
            assertThat(server.port()).isEqualTo(handle.port());
            var client = java.net.http.HttpClient.newHttpClient();
            var resp = client.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(handle.endpointUrl() + "/api/runtime-host")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            System.out.println("RESP " + resp.statusCode() + " " + resp.body());
        } finally {
            handle.close();
        }
        assertThat(registry.read().server()).isEmpty();
    }
}
