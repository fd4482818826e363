/**
 * The gRPC edge: {@link dev.stampede.admission.grpc.AdmissionInterceptor} (early, cheap rejection before the message
 * is read) and {@link dev.stampede.admission.grpc.ErrorMapper} (the one mapping of failures to gRPC status, with the
 * overload answer).
 */
package dev.stampede.admission.grpc;
