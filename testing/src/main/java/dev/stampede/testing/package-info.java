/**
 * Test fixtures over {@code localstack}: {@link dev.stampede.testing.RedisFixture} (JUnit 5) and
 * {@link dev.stampede.testing.RedisTestResource} ({@code @QuarkusTest}) give each test class its own Redis.
 */
package dev.stampede.testing;
