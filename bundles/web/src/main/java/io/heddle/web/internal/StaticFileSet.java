package io.heddle.web.internal;

import io.heddle.api.web.WebAssets;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** A fixed set of files held in memory, with the SHA-256 of all paths and contents. */
final class StaticFileSet implements WebAssets {

    private final Map<String, byte[]> files;
    private final SortedSet<String> paths;
    private final String contentHash;

    /** @param files content by relative path ({@code index.html}, {@code assets/app.js}); copied */
    StaticFileSet(Map<String, byte[]> files) {
        TreeMap<String, byte[]> copy = new TreeMap<>();
        files.forEach((path, content) -> copy.put(path, content.clone()));
        this.files = copy;
        this.paths = Collections.unmodifiableSortedSet(new TreeSet<>(copy.keySet()));
        this.contentHash = hash(copy);
    }

    @Override
    public SortedSet<String> paths() {
        return paths;
    }

    @Override
    public Optional<byte[]> read(String path) {
        byte[] content = files.get(path);
        return content == null ? Optional.empty() : Optional.of(content.clone());
    }

    @Override
    public String contentHash() {
        return contentHash;
    }

    /** Each path, then its length and content, in path order: no two different sets hash alike by accident. */
    static String hash(TreeMap<String, byte[]> files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                byte[] path = file.getKey().getBytes(StandardCharsets.UTF_8);
                digest.update(ByteBuffer.allocate(4).putInt(path.length).array());
                digest.update(path);
                digest.update(
                        ByteBuffer.allocate(8).putLong(file.getValue().length).array());
                digest.update(file.getValue());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
