package io.heddle.registry.internal;

import io.heddle.storage.internal.ExclusiveFileLock;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Test helper run as its own OS process: takes the registry lock, prints {@code HELD <pid>},
 * and keeps the lock until its stdin closes (or it is killed).
 *
 * <p>Usage: {@code LockHolderMain <lockFile>}
 */
public final class LockHolderMain {

    private LockHolderMain() {}

    public static void main(String[] args) throws Exception {
        Path lockFile = Path.of(args[0]);
        try (ExclusiveFileLock held = ExclusiveFileLock.acquire(lockFile, Duration.ofSeconds(10))) {
            System.out.println("HELD " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until the test closes our stdin
            }
        }
    }
}
