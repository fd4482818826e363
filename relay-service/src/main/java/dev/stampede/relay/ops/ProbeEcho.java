package dev.stampede.relay.ops;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Answers this process's self-probe: a call carrying {@code stampede-probe} gets this process's random instance
 * nonce back in the {@code stampede-instance} response header. The probe can then tell its own gRPC server from
 * another process that holds the port. Other calls pass untouched (one header lookup).
 */
@Singleton
@GlobalInterceptor
public class ProbeEcho implements ServerInterceptor {
  static final Metadata.Key<String> PROBE = Metadata.Key.of("stampede-probe", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> INSTANCE = Metadata.Key.of("stampede-instance", Metadata.ASCII_STRING_MARSHALLER);

  private final String nonce;

  public ProbeEcho() {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    this.nonce = HexFormat.of().formatHex(b);
  }

  String nonce() {
    return nonce;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    if (!headers.containsKey(PROBE)) {
      return next.startCall(call, headers);
    }
    return next.startCall(new SimpleForwardingServerCall<>(call) {
      @Override
      public void sendHeaders(Metadata responseHeaders) {
        responseHeaders.put(INSTANCE, nonce);
        super.sendHeaders(responseHeaders);
      }
    }, headers);
  }
}
