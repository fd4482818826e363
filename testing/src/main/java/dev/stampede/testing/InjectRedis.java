package dev.stampede.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link dev.stampede.localstack.RedisServer} field of a {@code @QuarkusTest} class into which
 * {@link RedisTestResource} injects the server it started, for fault tests (kill, restart).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface InjectRedis {
}
