/**
 * The Quarkus integration, discovered through the jar's Jandex index: {@code stampede.admission.*} and
 * {@code stampede.redis.*} configuration, CDI producers, the global gRPC interceptor and the exception mapping.
 * Loaded only in Quarkus apps (its dependencies are {@code provided}).
 */
package dev.stampede.admission.quarkus;
