package dev.stampede.localstack;

import dev.stampede.localstack.testapp.HealthApp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Builds a runnable jar of {@link HealthApp} so tests can start a real {@code java -jar} app. */
final class TestJars {
  private TestJars() {
  }

  static Path healthAppJar(Path dir) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, HealthApp.class.getName());
    Path jar = dir.resolve("health-app.jar");
    String entry = HealthApp.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
         JarOutputStream out = new JarOutputStream(file, manifest);
         InputStream classBytes = HealthApp.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      classBytes.transferTo(out);
      out.closeEntry();
    }
    return jar;
  }
}
