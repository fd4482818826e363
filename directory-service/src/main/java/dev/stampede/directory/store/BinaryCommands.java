package dev.stampede.directory.store;

import dev.stampede.admission.redis.SharedRedis;
import io.lettuce.core.RedisAsyncCommandsImpl;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.util.function.Supplier;

/**
 * The process's one shared Redis connection ({@link SharedRedis}, DESIGN §4), spoken with UTF-8 keys and raw byte
 * values: leases are binary ({@link DeviceLeaseCodec}). A Lettuce connection is not bound to a codec — every
 * command encodes its own arguments and decodes its own reply — so a second command facade over the same
 * connection adds no connection, no thread and no queue.
 *
 * <p>{@link #get()} throws what {@link SharedRedis#async()} throws while there is no connection (an
 * {@code OverloadException}, {@code DEPENDENCY_UNAVAILABLE}). Thread-safe.
 */
public final class BinaryCommands implements Supplier<RedisAsyncCommands<String, byte[]>> {
  /** Keys as UTF-8 text, values as bytes. */
  public static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private final SharedRedis shared;
  private volatile Facade facade;

  private record Facade(StatefulRedisConnection<?, ?> connection, RedisAsyncCommands<String, byte[]> commands) {
  }

  public BinaryCommands(SharedRedis shared) {
    this.shared = shared;
  }

  /** Binary async commands on the shared connection. */
  @Override
  public RedisAsyncCommands<String, byte[]> get() {
    StatefulRedisConnection<String, String> connection = shared.async().getStatefulConnection();
    Facade f = facade;
    if (f == null || f.connection() != connection) {
      f = new Facade(connection, over(connection));
      facade = f;
    }
    return f.commands();
  }

  /** Binary commands over any connection (tests use their own). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static RedisAsyncCommands<String, byte[]> over(StatefulRedisConnection<?, ?> connection) {
    return new RedisAsyncCommandsImpl<>((StatefulRedisConnection) connection, CODEC);
  }
}
