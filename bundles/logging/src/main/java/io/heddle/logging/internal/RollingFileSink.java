package io.heddle.logging.internal;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The log file: created on the first line, written one line per write (so flushed per line),
 * rolled over by size. At rollover {@code file.1} is the newest old file and {@code file.<keep>}
 * the oldest; the one beyond is deleted (log4j2's {@code fileIndex=min}). A failure to write
 * (disk full, folder gone, no permission) loses that line only: it never reaches the caller, the
 * file is closed, and the next line opens it again (creating the folder if it is missing). A file
 * deleted or moved away while open is noticed at the next line and created anew.
 */
final class RollingFileSink implements LogSink {

    static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
    static final int DEFAULT_KEEP = 5;

    private final Path path;
    private final File file;
    private final long maxBytes;
    private final int keep;
    private FileOutputStream out;
    private long size;

    RollingFileSink(Path path) {
        this(path, DEFAULT_MAX_BYTES, DEFAULT_KEEP);
    }

    RollingFileSink(Path path, long maxBytes, int keep) {
        this.path = path.toAbsolutePath();
        this.file = this.path.toFile();
        this.maxBytes = maxBytes;
        this.keep = keep;
    }

    Path path() {
        return path;
    }

    @Override
    public synchronized void write(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            if (out != null && !file.exists()) {
                closeQuietly();
            }
            if (out == null) {
                open();
            }
            if (size > 0 && size + bytes.length > maxBytes) {
                rollOver();
            }
            out.write(bytes);
            size += bytes.length;
        } catch (IOException | RuntimeException e) {
            // the line is lost; the next one tries again from a fresh open
            closeQuietly();
        }
    }

    private void open() throws IOException {
        Path parent = path.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        out = new FileOutputStream(file, true);
        size = out.getChannel().size();
    }

    private void rollOver() throws IOException {
        closeQuietly();
        try {
            Files.deleteIfExists(numbered(keep));
            for (int i = keep - 1; i >= 1; i--) {
                Path from = numbered(i);
                if (Files.exists(from)) {
                    Files.move(from, numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(path, numbered(1), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // cannot roll (e.g. no permission on the folder): a longer file beats lost lines
        }
        open();
    }

    private Path numbered(int index) {
        return path.resolveSibling(path.getFileName() + "." + index);
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // closing a broken file
            }
            out = null;
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
