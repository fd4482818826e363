package dev.stampede.auth.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * What a service method needs to know about its caller beyond the request message: the {@code authorization}
 * header (admin calls) and the source address (failed log-in budgets). Captured into the call's {@link Context} by
 * {@link Interceptor}. Immutable.
 */
final class CallerInfo {
  static final Context.Key<CallerInfo> KEY = Context.key("stampede-auth-caller");
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final CallerInfo UNKNOWN = new CallerInfo(null, "unknown");

  private final String authorization;
  private final String source;

  private CallerInfo(String authorization, String source) {
    this.authorization = authorization;
    this.source = source;
  }

  /** A caller with this header and source (tests, and calls made outside gRPC). */
  static CallerInfo of(String authorization, String source) {
    return new CallerInfo(authorization, source);
  }

  /** The caller of the call running on this thread. */
  static CallerInfo current() {
    CallerInfo info = KEY.get();
    return info != null ? info : UNKNOWN;
  }

  /** The {@code authorization} header, or null. */
  String authorization() {
    return authorization;
  }

  /** The caller's IP address (no port), or {@code "unknown"}. */
  String source() {
    return source;
  }

  /** Captures the caller of every call. */
  @Singleton
  @GlobalInterceptor
  static final class Interceptor implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
        ServerCallHandler<ReqT, RespT> next) {
      SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
      String source = remote instanceof InetSocketAddress && ((InetSocketAddress) remote).getAddress() != null
          ? ((InetSocketAddress) remote).getAddress().getHostAddress() : "unknown";
      CallerInfo info = new CallerInfo(headers.get(AUTHORIZATION), source);
      return Contexts.interceptCall(Context.current().withValue(KEY, info), call, headers, next);
    }
  }
}
