package io.heddle.engines.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Where an engine's API key comes from: a file readable only by its owner, an environment
 * variable, or nowhere (a local server without keys). The key is read for each request and is
 * never kept in a message, a log line, an event or a file. Problems name the file or the
 * variable, never the key.
 */
abstract class ApiKeySource {

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    /** Why the key cannot be had now; empty when it can (or none is needed). */
    abstract Optional<String> problem();

    /** The key, or empty when none is configured. */
    abstract Optional<String> read() throws ModelStreamException;

    /** Where the key comes from, for messages, e.g. {@code the file /home/me/.keys/claude}. */
    abstract String describe();

    /** A key goes into a header: visible ASCII only, so that no header error can quote it. */
    static boolean printable(String key) {
        if (key.isEmpty()) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    static ApiKeySource none(String source) {
        return new ApiKeySource() {
            @Override
            Optional<String> problem() {
                return Optional.empty();
            }

            @Override
            Optional<String> read() {
                return Optional.empty();
            }

            @Override
            String describe() {
                return "no key (set apiKeyFile or apiKeyEnv in " + source + " if the server needs one)";
            }
        };
    }

    static ApiKeySource env(String variable, String source) {
        return env(variable, source, System::getenv);
    }

    static ApiKeySource env(String variable, String source, UnaryOperator<String> environment) {
        return new ApiKeySource() {
            @Override
            Optional<String> problem() {
                String value = environment.apply(variable);
                if (value == null || value.isBlank()) {
                    return Optional.of("the environment variable " + variable + " (apiKeyEnv in " + source
                            + ") is not set in the server's environment: export it before starting Heddle, or use "
                            + "apiKeyFile.");
                }
                if (!printable(value.strip())) {
                    return Optional.of("the environment variable " + variable + " (apiKeyEnv in " + source
                            + ") must hold the key alone, in visible ASCII characters.");
                }
                return Optional.empty();
            }

            @Override
            Optional<String> read() throws ModelStreamException {
                Optional<String> problem = problem();
                if (problem.isPresent()) {
                    throw new ModelStreamException(problem.get());
                }
                return Optional.of(environment.apply(variable).strip());
            }

            @Override
            String describe() {
                return "the environment variable " + variable;
            }
        };
    }

    static ApiKeySource file(String file, String source) {
        Path path = Path.of(file.startsWith("~/") ? System.getProperty("user.home") + file.substring(1) : file);
        return new ApiKeySource() {
            @Override
            Optional<String> problem() {
                try {
                    read();
                    return Optional.empty();
                } catch (ModelStreamException e) {
                    return Optional.of(e.getMessage());
                }
            }

            @Override
            Optional<String> read() throws ModelStreamException {
                if (!path.isAbsolute()) {
                    throw new ModelStreamException(
                            "apiKeyFile in " + source + " must be an absolute path, not '" + file + "'.");
                }
                try {
                    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
                    if (permissions.stream().anyMatch(OTHERS::contains)) {
                        throw new ModelStreamException("the key file " + path + " (apiKeyFile in " + source
                                + ") can be read by others; the engine does not use it until only its owner can: "
                                + "chmod 600 " + path + ".");
                    }
                } catch (UnsupportedOperationException noPosix) {
                    // a file system without POSIX permissions: nothing to check
                } catch (NoSuchFileException e) {
                    throw new ModelStreamException("the key file " + path + " (apiKeyFile in " + source
                            + ") does not exist: write the key into it and chmod 600 it.");
                } catch (IOException e) {
                    throw new ModelStreamException("the key file " + path + " (apiKeyFile in " + source
                            + ") cannot be read: " + e.getClass().getSimpleName() + ".");
                }
                String key;
                try {
                    key = Files.readString(path, StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    throw new ModelStreamException("the key file " + path + " (apiKeyFile in " + source
                            + ") cannot be read: " + e.getClass().getSimpleName() + ".");
                }
                if (!printable(key)) {
                    throw new ModelStreamException("the key file " + path + " (apiKeyFile in " + source
                            + ") must hold the key alone on one line, in visible ASCII characters.");
                }
                return Optional.of(key);
            }

            @Override
            String describe() {
                return "the key file " + path;
            }
        };
    }
}
