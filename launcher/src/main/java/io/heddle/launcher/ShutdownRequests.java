package io.heddle.launcher;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import sun.misc.Signal;

/**
 * How a running daemon learns that it should stop: SIGINT, SIGTERM, SIGHUP, or a shutdown request of
 * its server ({@code POST /api/admin/shutdown}). All of them only wake the daemon's main
 * thread, which closes the server, stops the framework and exits, once.
 *
 * <p>Signals are trapped with {@link Signal} rather than a shutdown hook: a hook runs only
 * after the JVM has decided to exit with 128+signal, and the contract wants 0 after a clean
 * close. A signal that arrives while the daemon is already stopping forces exit 1 after a
 * short grace period.
 */
final class ShutdownRequests {

    static final Duration FORCE_GRACE = Duration.ofSeconds(3);

    private final Terminal terminal;
    private final IntConsumer halt;
    private final Duration grace;
    private final CountDownLatch requested = new CountDownLatch(1);
    private final AtomicBoolean forcing = new AtomicBoolean();
    private volatile String reason;
    private volatile java.util.function.BooleanSupplier interruptInterceptor;

    ShutdownRequests(Terminal terminal) {
        this(terminal, code -> Runtime.getRuntime().halt(code), FORCE_GRACE);
    }

    /** For tests: what "force the exit" does, and after how long. */
    ShutdownRequests(Terminal terminal, IntConsumer halt, Duration grace) {
        this.terminal = terminal;
        this.halt = halt;
        this.grace = grace;
    }

    /**
     * Traps SIGINT, SIGTERM and SIGHUP (the terminal went away) for the rest of this process's
     * life. A signal the parent set to be ignored (e.g. {@code nohup}) stays ignored: the JVM
     * does not replace an ignored disposition.
     */
    void trapSignals() {
        for (String name : new String[] {"INT", "TERM", "HUP"}) {
            try {
                Signal.handle(new Signal(name), signal -> signalled("SIG" + signal.getName()));
            } catch (IllegalArgumentException unsupported) {
                // this platform does not know the signal (or the JVM reserves it): nothing to trap
            }
        }
    }

    /**
     * Lets SIGINT (Ctrl-C) do something else first: when {@code interceptor} answers true, it
     * handled the signal (e.g. {@code heddle chat} cancelled a streaming reply) and no stop is
     * requested. Other signals always ask for a stop.
     */
    void interceptInterrupt(java.util.function.BooleanSupplier interceptor) {
        this.interruptInterceptor = interceptor;
    }

    /** Asks the daemon to stop; later requests change nothing. */
    void request(String why) {
        if (requested.getCount() > 0) {
            reason = why;
            requested.countDown();
        }
    }

    /** A signal arrived: the first asks for a stop; one while stopping forces exit 1 after the grace period. */
    void signalled(String name) {
        java.util.function.BooleanSupplier interceptor = interruptInterceptor;
        if ("SIGINT".equals(name) && requested.getCount() > 0 && interceptor != null && interceptor.getAsBoolean()) {
            return;
        }
        if (requested.getCount() > 0) {
            request(name);
            return;
        }
        if (forcing.compareAndSet(false, true)) {
            Thread forcer = new Thread(
                    () -> {
                        try {
                            Thread.sleep(grace.toMillis());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        terminal.problem(
                                "heddle: " + name + " received while stopping; forced exit before the server closed. "
                                        + "Run 'heddle status' to check for a leftover record.");
                        halt.accept(Heddle.FAILURE);
                    },
                    "heddle-forced-exit");
            forcer.setDaemon(true);
            forcer.start();
        }
    }

    boolean isRequested() {
        return requested.getCount() == 0;
    }

    String reason() {
        return reason;
    }

    /** Blocks until a stop is requested. */
    void await() {
        boolean interrupted = false;
        while (true) {
            try {
                requested.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits at most {@code timeout}; true when a stop was requested. */
    boolean await(Duration timeout) {
        try {
            return requested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return isRequested();
        }
    }
}
