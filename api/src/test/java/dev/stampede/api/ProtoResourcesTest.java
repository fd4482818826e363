package dev.stampede.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The jar ships the .proto files at their package paths, which is what consumers' code generators scan. */
class ProtoResourcesTest {

  @ParameterizedTest
  @CsvSource({
      "stampede/auth/v1/auth.proto, package stampede.auth.v1;",
      "stampede/directory/v1/directory.proto, package stampede.directory.v1;",
      "stampede/relay/v1/relay.proto, package stampede.relay.v1;",
      "stampede/common/v1/errors.proto, package stampede.common.v1;",
  })
  void protoFile_isOnTheClasspathAtItsPackagePath(String path, String packageLine) throws IOException {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(path)) {
      assertThat(in).as(path).isNotNull();
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains(packageLine);
    }
  }
}
