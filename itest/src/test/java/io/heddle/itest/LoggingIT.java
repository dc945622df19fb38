package io.heddle.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.itest.support.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.UUID;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogService;
import org.osgi.service.log.LoggerFactory;

/**
 * The logging bundle (io.heddle.logging) in a real framework: SLF4J, the OSGi Log Service of a
 * bundle and java.util.logging all reach its file, and the levels follow the configuration of
 * PID io.heddle.logging through Configuration Admin.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LoggingIT extends InContainerTestBase {

    private static final String LOG_FILE_PROPERTY = "heddle.log.file";
    private static final String PID = "io.heddle.logging";

    @Configuration
    public Option[] config() {
        Path home = TestSupport.newHome("logging");
        // a framework property, not a system one: other test classes in this JVM keep their stderr
        return TestSupport.platform(
                home,
                CoreOptions.frameworkProperty(LOG_FILE_PROPERTY)
                        .value(home.resolve("logs/server.log").toString()));
    }

    private Path logFile() {
        return Path.of(context.getProperty(LOG_FILE_PROPERTY));
    }

    private String log() throws IOException {
        Path file = logFile();
        return Files.exists(file) ? Files.readString(file) : "";
    }

    @Test
    public void slf4jTheOsgiLogServiceAndJulAllReachTheLogFile() throws Exception {
        String marker = UUID.randomUUID().toString();

        org.slf4j.LoggerFactory.getLogger("io.heddle.itest.LoggingIT").info("through slf4j {}", marker);
        ServiceReference<LoggerFactory> factoryRef = context.getServiceReference(LoggerFactory.class);
        LoggerFactory factory = context.getService(factoryRef);
        factory.getLogger("io.heddle.itest.osgi.Named").warn("through the OSGi logger {}", marker);
        ((LogService) factory).log(LogService.LOG_ERROR, "through the legacy LogService " + marker);
        java.util.logging.Logger.getLogger("io.heddle.itest.jul.Named").warning("through JUL " + marker);
        context.ungetService(factoryRef);

        String log = log();
        assertThat(log)
                .containsPattern(
                        "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO  \\[[^]]+\\]"
                                + " i\\.h\\.i\\.LoggingIT - through slf4j " + marker)
                .contains(" WARN  [", "] i.h.i.o.Named - through the OSGi logger " + marker)
                .contains(
                        " ERROR [",
                        "] " + context.getBundle().getSymbolicName() + " - through the legacy LogService " + marker)
                .contains("] i.h.i.j.Named - through JUL " + marker);
    }

    @Test
    public void aConfigurationChangesALevelAndDeletingItRestoresTheDefault() throws Exception {
        String marker = UUID.randomUUID().toString();
        org.slf4j.Logger jetty = org.slf4j.LoggerFactory.getLogger("org.eclipse.jetty.server.Server");
        assertThat(jetty.isInfoEnabled()).as("Jetty's default: warn").isFalse();
        org.osgi.service.cm.Configuration configuration = configAdmin.getConfiguration(PID, "?");

        Hashtable<String, Object> levels = new Hashtable<>();
        levels.put("level.org.eclipse.jetty.server", "DEBUG");
        levels.put("level.io.heddle.itest", "loud");
        configuration.update(levels);

        Poll.until("Jetty's server logger at debug", Duration.ofSeconds(10), jetty::isDebugEnabled);
        jetty.debug("visible at debug {}", marker);
        assertThat(log())
                .contains("] o.e.j.s.Server - visible at debug " + marker)
                .contains(
                        " WARN  [",
                        "] i.h.logging - The configuration io.heddle.logging sets level.io.heddle.itest"
                                + " to 'loud', which is not a level; allowed: trace, debug, info, warn, error, off.");

        configuration.delete();

        Poll.until("Jetty's server logger back at warn", Duration.ofSeconds(10), () -> !jetty.isInfoEnabled());
        assertThat(jetty.isWarnEnabled()).isTrue();
    }
}
