package io.heddle.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.AutoComplete;

/**
 * Writes the shell completion script for bash and zsh at build time: picocli's
 * {@link AutoComplete} script of the whole {@code heddle} command line, followed by
 * {@code completion-dynamic.bash}, which completes task ids and workspace names from the live
 * server ({@code heddle __complete}) and falls back to picocli's function for everything else.
 */
final class CompletionScript {

    private CompletionScript() {}

    /** {@code args[0]}: the file to write (written to a temporary name, then renamed). */
    public static void main(String[] args) throws IOException {
        Path target = Path.of(args[0]);
        Terminal quiet = new Terminal(
                new PrintStream(java.io.OutputStream.nullOutputStream()),
                new PrintStream(java.io.OutputStream.nullOutputStream()),
                false);
        String generated = AutoComplete.bash("heddle", HeddleCommand.commandLine(quiet));
        String dynamic;
        try (InputStream in = CompletionScript.class.getResourceAsStream("completion-dynamic.bash")) {
            if (in == null) {
                throw new IOException("completion-dynamic.bash is missing from the launcher's resources");
            }
            dynamic = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(temp, generated + "\n" + dynamic, StandardCharsets.UTF_8);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
