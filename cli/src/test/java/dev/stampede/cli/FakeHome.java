package dev.stampede.cli;

import dev.stampede.cli.testapp.FakeQuarkusApp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** A checkout-like directory whose services are {@link FakeQuarkusApp} jars at the real jars' paths. */
final class FakeHome {
  private FakeHome() {}

  static Path create(Path dir, String... services) throws IOException {
    for (String service : services) {
      Path jar = dir.resolve(service + "-service/target/quarkus-app/quarkus-run.jar");
      Files.createDirectories(jar.getParent());
      Manifest manifest = new Manifest();
      manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
      manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeQuarkusApp.class.getName());
      String entry = FakeQuarkusApp.class.getName().replace('.', '/') + ".class";
      try (OutputStream file = Files.newOutputStream(jar);
           JarOutputStream out = new JarOutputStream(file, manifest);
           InputStream bytes = FakeQuarkusApp.class.getClassLoader().getResourceAsStream(entry)) {
        out.putNextEntry(new JarEntry(entry));
        bytes.transferTo(out);
        out.closeEntry();
      }
    }
    return dir;
  }
}
