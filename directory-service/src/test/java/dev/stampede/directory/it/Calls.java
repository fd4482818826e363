package dev.stampede.directory.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.stampede.api.directory.v1.DirectoryServiceGrpc;
import dev.stampede.api.directory.v1.Endpoint;
import dev.stampede.api.directory.v1.EndpointKind;
import dev.stampede.api.directory.v1.NatType;
import dev.stampede.api.directory.v1.RegisterRequest;
import dev.stampede.api.directory.v1.RegisterResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert;

/** Small helpers for calling a directory over loopback and checking its answers. */
public final class Calls {
  private static final Metadata.Key<String> PUSHBACK =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  private Calls() {
  }

  public static ManagedChannel channel(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  public static DirectoryServiceGrpc.DirectoryServiceBlockingStub stub(ManagedChannel channel) {
    return DirectoryServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  public static Endpoint endpoint(String host, int port) {
    return Endpoint.newBuilder().setHost(host).setPort(port).setKind(EndpointKind.ENDPOINT_KIND_HOST).build();
  }

  public static RegisterResponse register(DirectoryServiceGrpc.DirectoryServiceBlockingStub stub, String token,
      NatType nat, Endpoint... endpoints) {
    RegisterRequest.Builder r = RegisterRequest.newBuilder().setSessionToken(token).setNatType(nat);
    for (Endpoint e : endpoints) {
      r.addEndpoints(e);
    }
    return stub.withDeadlineAfter(10, TimeUnit.SECONDS).register(r.build());
  }

  /** The status a call failed with, asserting its code. */
  public static StatusRuntimeException failsWith(Status.Code code, ThrowableAssert.ThrowingCallable call) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call);
    assertThat(e).as("expected %s", code).isNotNull();
    assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
    return e;
  }

  /** The ErrorInfo reason of a failure, or null. */
  public static String reason(StatusRuntimeException e) {
    com.google.rpc.Status s = StatusProto.fromThrowable(e);
    if (s == null) {
      return null;
    }
    for (com.google.protobuf.Any any : s.getDetailsList()) {
      if (any.is(ErrorInfo.class)) {
        try {
          ErrorInfo info = any.unpack(ErrorInfo.class);
          assertThat(info.getDomain()).isEqualTo("stampede.dev");
          return info.getReason();
        } catch (InvalidProtocolBufferException ex) {
          throw new AssertionError(ex);
        }
      }
    }
    return null;
  }

  /** Asserts the overload answer: RetryInfo in the details and the same delay in grpc-retry-pushback-ms. */
  public static long assertPushback(StatusRuntimeException e) {
    com.google.rpc.Status s = StatusProto.fromThrowable(e);
    assertThat(s).as("status details").isNotNull();
    Duration retry = null;
    for (com.google.protobuf.Any any : s.getDetailsList()) {
      if (any.is(RetryInfo.class)) {
        try {
          com.google.protobuf.Duration d = any.unpack(RetryInfo.class).getRetryDelay();
          retry = Duration.ofSeconds(d.getSeconds(), d.getNanos());
        } catch (InvalidProtocolBufferException ex) {
          throw new AssertionError(ex);
        }
      }
    }
    assertThat(retry).as("RetryInfo").isNotNull();
    String pushback = e.getTrailers() == null ? null : e.getTrailers().get(PUSHBACK);
    assertThat(pushback).as("grpc-retry-pushback-ms").isEqualTo(Long.toString(retry.toMillis()));
    return retry.toMillis();
  }

  /** GET http://127.0.0.1:port/path → status code. */
  public static int httpStatus(int port, String path) {
    return http(port, path).statusCode();
  }

  public static HttpResponse<String> http(int port, String path) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException("GET " + path + " failed", e);
    }
  }
}
