package io.heddle.launcher;

import io.heddle.storage.internal.PrivateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * The workspace state folder a start writes, checked before the framework boots, so that an
 * unwritable or read-only workspace ends the start at once with its real cause, and the log
 * backend never meets a folder it cannot create.
 */
final class StartFolders {

    private StartFolders() {}

    /**
     * Creates the state folder and its {@code logs/} (0700 where created) and opens the log file
     * for appending (0600 where created).
     *
     * @throws CommandFailure (exit 1) when the state folder cannot be created: a file in its place,
     *                        a read-only or unwritable workspace, a full disk
     * @return true when the log file can be written; false (after one warning) when the server has
     *         to run without it
     */
    static boolean prepareState(WriteFailures.Places places, Path logFile, Terminal terminal) {
        Path state = places.stateRoot();
        if (Files.exists(state) && !Files.isDirectory(state)) {
            throw CommandFailure.runtime("The state folder " + state + " is a file, not a folder."
                    + " Move it away, or pass --state-dir with another name.");
        }
        try {
            PrivateFiles.createPrivateDirectories(state);
        } catch (IOException e) {
            throw CommandFailure.runtime(
                    WriteFailures.describe(e, places, WriteFailures.Area.STATE)
                            .orElse("Cannot create the state folder " + state + " (" + WriteFailures.osReason(e)
                                    + "). Pass --workspace with a folder you can write to."),
                    e);
        }
        try {
            PrivateFiles.createPrivateDirectories(logFile.getParent());
            try (FileChannel channel = FileChannel.open(
                    logFile,
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
                    PrivateFiles.privateFileAttributes())) {
                return true;
            }
        } catch (IOException e) {
            terminal.warning("cannot write the log file " + logFile + " (" + WriteFailures.osReason(e)
                    + "); the server runs without it.");
            terminal.trace(e);
            return false;
        }
    }
}
