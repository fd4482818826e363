package dev.stampede.auth.grpc;

import dev.stampede.tokens.KeyRing;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.security.SecureRandom;
import dev.stampede.testing.RedisTestResource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fresh random token keys and admin credential for each test run (nothing committed, DESIGN §7), SeedAccounts
 * enabled, and one private Redis with AOF. The auth ring holds a current key {@code a2} and an older {@code a1}, as
 * in the middle of a rotation.
 *
 * <p>Every {@code @QuarkusTest} of this module uses this profile and no other test resource, so the app starts
 * once: with the separate gRPC server, Quarkus' test mode keeps serving the first app's service instances after a
 * restart, which would mix two apps' classes.
 */
public class AuthTestProfile implements QuarkusTestProfile {
  static final SecureRandom RANDOM = new SecureRandom();
  static final String OLD_AUTH_KEY = KeyRing.randomSpec("a1", RANDOM);
  static final String CURRENT_AUTH_KEY = KeyRing.randomSpec("a2", RANDOM);
  static final String DIRECTORY_KEYS = KeyRing.randomSpec("d1", RANDOM);
  static final String RELAY_KEYS = KeyRing.randomSpec("r1", RANDOM);
  static final String ADMIN = "test-admin-" + KeyRing.randomSpec("x", RANDOM).substring(2);

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>();
    config.put("stampede.token.keys.auth", CURRENT_AUTH_KEY + "," + OLD_AUTH_KEY);
    config.put("stampede.token.keys.directory", DIRECTORY_KEYS);
    config.put("stampede.token.keys.relay", RELAY_KEYS);
    config.put("stampede.auth.admin.credential", ADMIN);
    config.put("stampede.auth.admin.seed-enabled", "true");
    return config;
  }

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(RedisTestResource.class, Map.of("appendOnly", "true")));
  }
}
