/**
 * The gRPC edge of auth: {@link dev.stampede.auth.grpc.AuthGrpcService} (limits, proto mapping, domain failures to
 * the admission library's exceptions), admission priorities, admin gate, failed-log-in throttle, drain and the
 * serving probe behind readiness.
 */
package dev.stampede.auth.grpc;
