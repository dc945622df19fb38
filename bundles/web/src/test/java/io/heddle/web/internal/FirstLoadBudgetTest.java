package io.heddle.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The budget: the first load of {@code /} sends at most 150 KB over the wire. The
 * server sends each text file gzipped, so the sum of the gzipped sizes of {@code index.html}
 * and every file under {@code assets/} bounds what a first load can cost.
 */
class FirstLoadBudgetTest {

    static final long BUDGET_BYTES = 150 * 1024;
    private static final Path WEB = Path.of("src/main/resources/web");

    @Test
    void indexAndAllAssetsGzippedStayWithin150KB() throws IOException {
        assertThat(WEB.resolve("index.html")).isRegularFile();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(WEB)) {
            files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        long total = 0;
        StringBuilder sizes = new StringBuilder();
        for (Path file : files) {
            long size = Math.min(gzipSize(Files.readAllBytes(file)), Files.size(file));
            total += size;
            sizes.append(WEB.relativize(file)).append('=').append(size).append(' ');
        }
        System.out.println(
                "first load, gzipped: " + total + " bytes (" + sizes.toString().trim() + ")");

        assertThat(total).as("gzipped bytes of %s", sizes).isLessThanOrEqualTo(BUDGET_BYTES);
    }

    private static long gzipSize(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        }
        return out.size();
    }
}
