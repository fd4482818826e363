package dev.stampede.bench.anchor;

import dev.stampede.admission.ApiException;
import dev.stampede.admission.redis.RedisScript;
import dev.stampede.admission.redis.SharedRedis;
import dev.stampede.bench.anchor.v1.Anchor;
import dev.stampede.bench.anchor.v1.TouchRequest;
import dev.stampede.bench.anchor.v1.TouchResponse;
import io.lettuce.core.ScriptOutputType;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;

/** The anchor's handler: validate, one {@code EVALSHA} on the shared connection, answer. */
@GrpcService
public class AnchorService implements Anchor {
  private static final RedisScript TOUCH = RedisScript.fromResource(AnchorService.class, "lua/anchor.lua");
  private static final int MAX_KEY_BYTES = 64;

  @Inject
  SharedRedis redis;

  @Override
  public Uni<TouchResponse> touch(TouchRequest request) {
    if (request.getKey().getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      return Uni.createFrom().failure(ApiException.invalidArgument("key",
          request.getKey().getBytes(StandardCharsets.UTF_8).length + " bytes (expected: 0..64 bytes)"));
    }
    String key = "stampede:anchor:" + request.getKey();
    return Uni.createFrom()
        .completionStage(() -> TOUCH.<String>eval(redis.async(), ScriptOutputType.VALUE, new String[] {key}))
        .map(v -> TouchResponse.newBuilder().setValue(v == null ? "" : v).build());
  }
}
