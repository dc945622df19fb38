package io.heddle.heartbeat.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workspace key a shared task store files a workspace's tasks under: the {@code origin}
 * remote of the folder's git repository, normalised so that the forms of one repository are one
 * key ({@code git@host:x/y.git}, {@code ssh://git@host/x/y}, {@code https://host/x/y/} are all
 * {@code host/x/y}), else the folder's name. Read from {@code .git/config} (a worktree's
 * {@code .git} file is followed to the repository's common folder); remembered per folder until
 * that file changes.
 */
final class WorkspaceKeys {

    private static final Pattern REMOTE = Pattern.compile("^\\s*\\[\\s*remote\\s+\"([^\"]*)\"\\s*]\\s*$");
    private static final Pattern SECTION = Pattern.compile("^\\s*\\[.*]\\s*$");
    private static final Pattern URL = Pattern.compile("^\\s*url\\s*=\\s*(.+?)\\s*$");
    private static final Pattern SCP = Pattern.compile("^(?:[^@/]+@)?([^:/]+):(?!//)(.+)$");
    private static final Pattern WITH_SCHEME =
            Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^@/]*@)?([^/:]+)(?::\\d+)?(/.*)?$");

    private record Cached(long modified, String key) {}

    private static final Map<Path, Cached> CACHE = new ConcurrentHashMap<>();

    private WorkspaceKeys() {}

    /** The key of the workspace folder {@code root}. */
    static String of(Path root) {
        Path folder = root.toAbsolutePath().normalize();
        Path config = gitConfig(folder);
        long modified = lastModified(config);
        Cached cached = CACHE.get(folder);
        if (cached != null && cached.modified() == modified) {
            return cached.key();
        }
        String origin = config == null ? null : originUrl(config);
        String key = origin == null ? null : normalise(origin);
        if (key == null) {
            Path name = folder.getFileName();
            key = name == null ? folder.toString() : name.toString();
        }
        CACHE.put(folder, new Cached(modified, key));
        return key;
    }

    /** {@code host/path} of a git remote URL (lower-case host, no user, port, trailing '/' or '.git'); null when it is not one. */
    static String normalise(String url) {
        String u = url.strip();
        String host;
        String path;
        Matcher m = WITH_SCHEME.matcher(u);
        if (m.matches()) {
            host = m.group(1);
            path = m.group(2) == null ? "" : m.group(2);
        } else {
            Matcher scp = SCP.matcher(u);
            if (!scp.matches()) {
                return null; // a local path: not a shared name
            }
            host = scp.group(1);
            path = scp.group(2);
        }
        path = path.replaceAll("/+$", "");
        if (path.endsWith(".git")) {
            path = path.substring(0, path.length() - 4);
        }
        path = path.replaceAll("^/+", "").replaceAll("/+$", "");
        if (host.isEmpty() || path.isEmpty()) {
            return null;
        }
        return host.toLowerCase(Locale.ROOT) + "/" + path;
    }

    private static Path gitConfig(Path folder) {
        Path git = folder.resolve(".git");
        try {
            if (Files.isDirectory(git)) {
                return exists(git.resolve("config"));
            }
            if (Files.isRegularFile(git)) {
                // a worktree or submodule: "gitdir: <path>", whose commondir (if any) holds config
                String line = Files.readString(git, StandardCharsets.UTF_8).strip();
                if (line.startsWith("gitdir:")) {
                    Path dir = folder.resolve(line.substring("gitdir:".length()).strip())
                            .normalize();
                    Path common = dir.resolve("commondir");
                    if (Files.isRegularFile(common)) {
                        dir = dir.resolve(Files.readString(common, StandardCharsets.UTF_8)
                                        .strip())
                                .normalize();
                    }
                    return exists(dir.resolve("config"));
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static Path exists(Path p) {
        return Files.isRegularFile(p) ? p : null;
    }

    private static long lastModified(Path p) {
        try {
            return p == null ? -1 : Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String originUrl(Path config) {
        try {
            List<String> lines = Files.readAllLines(config, StandardCharsets.UTF_8);
            boolean inOrigin = false;
            for (String line : lines) {
                Matcher remote = REMOTE.matcher(line);
                if (remote.matches()) {
                    inOrigin = remote.group(1).equals("origin");
                } else if (SECTION.matcher(line).matches()) {
                    inOrigin = false;
                } else if (inOrigin) {
                    Matcher url = URL.matcher(line);
                    if (url.matches()) {
                        return url.group(1);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
