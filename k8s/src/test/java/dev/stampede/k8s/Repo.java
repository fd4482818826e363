package dev.stampede.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where things are in the checkout: the k8s module (the tests' working directory) and the repository root. */
final class Repo {
  private Repo() {
  }

  /** The k8s module directory. */
  static Path k8s() {
    Path here = Path.of("").toAbsolutePath();
    if (Files.isRegularFile(here.resolve("base/kustomization.yaml"))) {
      return here;
    }
    Path nested = here.resolve("k8s");
    if (Files.isRegularFile(nested.resolve("base/kustomization.yaml"))) {
      return nested;
    }
    throw new IllegalStateException("cannot find the k8s module from " + here);
  }

  /** The repository root (the parent pom's directory). */
  static Path root() {
    return k8s().getParent();
  }

  /** The project version, from the root pom: images are tagged with it. */
  static String version() {
    try {
      String pom = Files.readString(root().resolve("pom.xml"));
      Matcher m = Pattern.compile("<artifactId>stampede-parent</artifactId>\\s*<version>([^<]+)</version>")
          .matcher(pom);
      if (!m.find()) {
        throw new IllegalStateException("no version in the root pom");
      }
      return m.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
