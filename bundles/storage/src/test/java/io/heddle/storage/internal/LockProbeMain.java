package io.heddle.storage.internal;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Test helper run as its own OS process: tries the OS lock on a file once and prints
 * {@code FREE} or {@code LOCKED}. Only another process can see whether a process's POSIX lock
 * is really held.
 */
public final class LockProbeMain {

    private LockProbeMain() {}

    public static void main(String[] args) throws Exception {
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock()) {
            System.out.println(lock == null ? "LOCKED" : "FREE");
        }
    }
}
