package io.infergate.loadgen.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writing the bench's output directory, with errors that name the file. */
final class BenchFiles {

    private BenchFiles() {
    }

    static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot create (" + e.getMessage() + ")", e);
        }
    }

    /** Writes {@code content} to {@code file}, creating its directory. */
    static Path write(Path file, String content) {
        createDirectories(file.toAbsolutePath().getParent());
        try {
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write (" + e.getMessage() + ")", e);
        }
    }
}
