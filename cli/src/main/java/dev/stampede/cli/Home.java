package dev.stampede.cli;

import java.nio.file.Path;

/** Where the Stampede checkout is: {@code -Dstampede.home} (set by the {@code ./stampede} launcher), else here. */
final class Home {
  private Home() {}

  static Path path() {
    String home = System.getProperty("stampede.home");
    return (home == null || home.isBlank() ? Path.of("") : Path.of(home)).toAbsolutePath().normalize();
  }

  /** The state directory of {@code up}: {@code <home>/.stampede/up}, unless overridden. */
  static Path upStateDir(Path override) {
    return override != null ? override.toAbsolutePath() : path().resolve(".stampede").resolve("up");
  }
}
