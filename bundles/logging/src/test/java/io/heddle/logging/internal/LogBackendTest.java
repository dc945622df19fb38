package io.heddle.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.itest.support.MutableClock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;
import org.slf4j.LoggerFactory;

class LogBackendTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T18:00:00Z"));
    private final CapturingSink sink = new CapturingSink();
    private final LogBackend backend = new LogBackend(clock, sink);
    private final HeddleSlf4jProvider slf4j = new HeddleSlf4jProvider(backend);

    @Test
    void isEnabledFollowsAReconfigurationAndADeletionRestoresTheDefaults() {
        org.slf4j.Logger jetty = slf4j.getLoggerFactory().getLogger("org.eclipse.jetty.server.HttpChannel");
        Logger scr = new BundleLogService(backend, null).getLogger("org.apache.felix.scr");
        assertThat(jetty.isDebugEnabled()).isFalse();
        assertThat(jetty.isWarnEnabled()).isTrue();
        assertThat(scr.isInfoEnabled()).isTrue();

        backend.configure(Map.of("level.org.eclipse.jetty.server", "debug", "level", "error"));

        assertThat(jetty.isDebugEnabled()).isTrue();
        assertThat(scr.isInfoEnabled()).isFalse();
        assertThat(scr.isErrorEnabled()).isTrue();

        backend.configure(null);

        assertThat(jetty.isDebugEnabled()).isFalse();
        assertThat(scr.isInfoEnabled()).isTrue();
        assertThat(sink.lines).isEmpty();
    }

    @Test
    void aBadValueWritesOneWarningAndTheRestApplies() {
        backend.configure(Map.of("level.io.heddle", "verbose", "level.org.postgresql", "debug"));

        assertThat(sink.lines).hasSize(1);
        assertThat(sink.lines.get(0))
                .startsWith("2026-12-03T18:00:00.000Z WARN  [")
                .contains("] i.h.logging - The configuration io.heddle.logging sets level.io.heddle to 'verbose'")
                .contains("trace, debug, info, warn, error, off");
        assertThat(backend.levelOf("org.postgresql.Driver").enabled(Level.DEBUG))
                .isTrue();
    }

    @Test
    void slf4jCallsAreFormattedAndATrailingThrowableIsTheStackTrace() {
        org.slf4j.Logger log = slf4j.getLoggerFactory().getLogger("io.heddle.heartbeat.internal.Scheduler");
        clock.advance(java.time.Duration.ofMillis(42));

        log.info("task {} ran in {} ms", "t-1", 12);
        log.debug("not written at info");
        log.warn("task {} failed", "t-2", new IllegalStateException("boom"));

        assertThat(sink.lines).hasSize(2);
        assertThat(sink.lines.get(0))
                .isEqualTo("2026-12-03T18:00:00.042Z INFO  ["
                        + Thread.currentThread().getName() + "] i.h.h.i.Scheduler - task t-1 ran in 12 ms"
                        + System.lineSeparator());
        assertThat(sink.lines.get(1))
                .contains("i.h.h.i.Scheduler - task t-2 failed" + System.lineSeparator()
                        + "java.lang.IllegalStateException: boom");
    }

    @Test
    void slf4jFindsThisBundlesProviderThroughItsServiceLoader() {
        assertThat(LoggerFactory.getLogger("x").getClass()).isEqualTo(Slf4jLogger.class);
    }

    @Test
    void osgiLoggersOfABundleWithoutANameUseTheBundlesNameAndAuditIsAlwaysWritten() {
        backend.configure(Map.of("level", "off"));
        BundleLogService service = new BundleLogService(backend, null);

        service.getLogger("x").error("not written");
        service.getLogger("x").audit("audited {}", "always");

        assertThat(sink.lines).hasSize(1);
        assertThat(sink.lines.get(0)).contains(" AUDIT [").endsWith("] x - audited always" + System.lineSeparator());
    }

    @Test
    void legacyLogServiceCallsUseTheBundlesNameAndTheirLevel() {
        BundleLogService service = new BundleLogService(backend, null);

        service.log(org.osgi.service.log.LogService.LOG_WARNING, "legacy warning");
        service.log(org.osgi.service.log.LogService.LOG_DEBUG, "legacy debug");

        assertThat(sink.lines).hasSize(1);
        assertThat(sink.lines.get(0))
                .contains(" WARN  [")
                .endsWith("] LogService - legacy warning" + System.lineSeparator());
    }

    @Test
    void julRecordsReachTheBackendAtTheirMappedLevel() {
        JulHandler handler = new JulHandler(backend);
        java.util.logging.LogRecord record =
                new java.util.logging.LogRecord(java.util.logging.Level.WARNING, "connection {0} lost");
        record.setLoggerName("org.postgresql.Driver");
        record.setParameters(new Object[] {"c-7"});
        java.util.logging.LogRecord fine = new java.util.logging.LogRecord(java.util.logging.Level.FINE, "detail");
        fine.setLoggerName("org.postgresql.Driver");

        handler.publish(record);
        handler.publish(fine);

        assertThat(sink.lines).hasSize(1);
        assertThat(sink.lines.get(0)).contains(" WARN  [").contains("] o.p.Driver - connection c-7 lost");
    }
}
