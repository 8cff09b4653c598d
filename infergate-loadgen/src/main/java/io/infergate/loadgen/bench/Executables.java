package io.infergate.loadgen.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the programs the bench runs: in {@code /usr/sbin} (where Debian puts nginx and HAProxy), then
 * on the {@code PATH}.
 *
 * <pre>{@code
 * Optional<Path> nginx = Executables.find("nginx");
 * }</pre>
 */
public final class Executables {

    private Executables() {
    }

    public static Optional<Path> find(String name) {
        List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of("/usr/sbin", name));
        candidates.add(Path.of("/usr/local/sbin", name));
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, name));
                }
            }
        }
        return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }
}
