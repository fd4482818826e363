package dev.stampede.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code kubectl kustomize}, when kubectl is on the PATH. {@code -Dstampede.kubectl=PATH} names another binary;
 * {@code -Dstampede.kubectl=} (empty) runs the tests as on a machine without kubectl.
 */
final class Kubectl {
  private static final Optional<Path> KUBECTL = find();

  private Kubectl() {
  }

  static boolean available() {
    return KUBECTL.isPresent();
  }

  /** {@code kubectl kustomize dir}; empty when kubectl is not installed. */
  static Optional<List<ObjectNode>> kustomize(Path dir) {
    if (KUBECTL.isEmpty()) {
      return Optional.empty();
    }
    try {
      Process p = new ProcessBuilder(KUBECTL.get().toString(), "kustomize", dir.toString())
          .redirectErrorStream(false).start();
      p.getOutputStream().close();
      byte[] out;
      byte[] err;
      try (InputStream o = p.getInputStream(); InputStream e = p.getErrorStream()) {
        out = o.readAllBytes();
        err = e.readAllBytes();
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("kubectl kustomize " + dir + " did not finish");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("kubectl kustomize " + dir + " failed: "
            + new String(err, StandardCharsets.UTF_8).strip());
      }
      return Optional.of(Documents.parse(new String(out, StandardCharsets.UTF_8), "kubectl kustomize " + dir));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kubectl: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Optional<Path> find() {
    String configured = System.getProperty("stampede.kubectl");
    if (configured != null) {
      return configured.isBlank() ? Optional.empty() : Optional.of(Path.of(configured));
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
