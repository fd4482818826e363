package dev.stampede.chaos.storm;

import com.google.protobuf.Duration;
import dev.stampede.api.auth.v1.AuthServiceGrpc;
import dev.stampede.api.auth.v1.LoginRequest;
import dev.stampede.api.auth.v1.LoginResponse;
import dev.stampede.api.auth.v1.ResumeRequest;
import dev.stampede.api.auth.v1.ResumeResponse;
import dev.stampede.api.auth.v1.SeedAccountsRequest;
import dev.stampede.api.auth.v1.SeedAccountsResponse;
import dev.stampede.api.auth.v1.SessionGrant;
import dev.stampede.api.directory.v1.DirectoryServiceGrpc;
import dev.stampede.api.directory.v1.HeartbeatRequest;
import dev.stampede.api.directory.v1.HeartbeatResponse;
import dev.stampede.api.directory.v1.RegisterRequest;
import dev.stampede.api.directory.v1.RegisterResponse;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import dev.stampede.client.transport.ChannelFactory;

/**
 * Auth and directory as the contracts describe them, small enough for tests of the storm's clients: log-ins with
 * {@link #PASSWORD} or the password an account was seeded with, single-use rotating resume tickets, {@code SeedAccounts} behind a bearer credential, presence
 * leases. Overload answers (with pushback) can be scripted; the server can be stopped and started again on the same
 * address (a pod restart). In-process, or Netty on a loopback port.
 */
public final class FakeServices implements AutoCloseable {
  public static final String PASSWORD = "correct horse";
  public static final String CREDENTIAL = "admin-credential-for-tests";
  private static final Metadata.Key<String> PUSHBACK =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> BEARER = Context.key("bearer");

  public final AtomicInteger logins = new AtomicInteger();
  public final AtomicInteger resumes = new AtomicInteger();
  public final AtomicInteger registers = new AtomicInteger();
  public final AtomicInteger heartbeats = new AtomicInteger();
  public final AtomicInteger seeded = new AtomicInteger();
  /** The first index of every SeedAccounts call, in order. */
  public final List<Integer> seedFirstIndexes = new CopyOnWriteArrayList<>();
  /** The next this many log-ins are refused with {@link #pushbackMillis}. */
  public final AtomicInteger refuseLogins = new AtomicInteger();
  public volatile long pushbackMillis = 200;
  /** Every log-in is refused as a wrong password (accounts that exist with another password). */
  public volatile boolean refusePasswords;
  /** Log-ins take this long to answer (a password hash). */
  public volatile long loginMillis;

  private final Map<String, String> currentTicket = new ConcurrentHashMap<>();
  private final Map<String, String> seededPasswords = new ConcurrentHashMap<>();
  private final AtomicInteger serial = new AtomicInteger();
  private final String inProcessName;
  private final int port;
  private Server server;
  // A fixed pool: the server's threads must not hide (or pass for) the clients' in thread counts.
  private final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newFixedThreadPool(4,
      r -> {
        Thread t = new Thread(r, "fake-services");
        t.setDaemon(true);
        return t;
      });

  private FakeServices(String inProcessName, int port) {
    this.inProcessName = inProcessName;
    this.port = port;
  }

  /** In-process servers (target: {@link #target()} with {@link #channels()}). */
  public static FakeServices inProcess() {
    return new FakeServices(InProcessServerBuilder.generateName(), 0).start();
  }

  /** A Netty server on a free loopback port (target: {@link #target()}). */
  public static FakeServices loopback() {
    return new FakeServices(null, 0).start();
  }

  public synchronized FakeServices start() {
    var definition = ServerInterceptors.intercept(new Auth().bindService(), new BearerCapture());
    try {
      if (inProcessName != null) {
        server = InProcessServerBuilder.forName(inProcessName).addService(definition)
            .addService(new Directory().bindService()).build().start();
      } else {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", boundPort()))
            .executor(executor).addService(definition).addService(new Directory().bindService()).build().start();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  private int boundPort = -1;

  private int boundPort() {
    return boundPort < 0 ? 0 : boundPort;
  }

  /** Stops at once: calls in flight fail, connections are refused until {@link #start()}. */
  public synchronized void stop() {
    if (server != null) {
      if (inProcessName == null) {
        boundPort = server.getPort();
      }
      server.shutdownNow();
      try {
        server.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server = null;
    }
  }

  /** The target for both services. */
  public synchronized String target() {
    if (inProcessName != null) {
      return "in-process:///" + inProcessName;
    }
    return "127.0.0.1:" + (server != null ? server.getPort() : boundPort);
  }

  /** In-process channels for {@link #target()} (in-process servers only). */
  public ChannelFactory channels() {
    return target -> InProcessChannelBuilder.forName(target.substring(target.lastIndexOf('/') + 1)).build();
  }

  @Override
  public void close() {
    stop();
    executor.shutdownNow();
  }

  private SessionGrant grant(String user) {
    int n = serial.incrementAndGet();
    String ticket = "tic-" + user + "-" + n;
    currentTicket.put(user, ticket);
    return SessionGrant.newBuilder().setUserId("u-" + user).setSessionToken("tok-" + user + "-" + n)
        .setResumeTicket(ticket).setSessionId("s-" + user).build();
  }

  private StatusRuntimeException overload() {
    Metadata trailers = new Metadata();
    trailers.put(PUSHBACK, Long.toString(pushbackMillis));
    return Status.RESOURCE_EXHAUSTED.withDescription("overloaded").asRuntimeException(trailers);
  }

  private final class Auth extends AuthServiceGrpc.AuthServiceImplBase {
    @Override
    public void login(LoginRequest request, StreamObserver<LoginResponse> response) {
      logins.incrementAndGet();
      if (refuseLogins.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        response.onError(overload());
        return;
      }
      if (loginMillis > 0) {
        try {
          Thread.sleep(loginMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (refusePasswords || !PASSWORD.equals(request.getPassword()) && !seededPasswords.entrySet().stream().anyMatch(e ->
          request.getUsername().startsWith(e.getKey()) && e.getValue().equals(request.getPassword()))) {
        response.onError(Status.UNAUTHENTICATED.withDescription("bad credentials").asRuntimeException());
        return;
      }
      response.onNext(LoginResponse.newBuilder().setGrant(grant(request.getUsername())).build());
      response.onCompleted();
    }

    @Override
    public void resume(ResumeRequest request, StreamObserver<ResumeResponse> response) {
      resumes.incrementAndGet();
      String ticket = request.getResumeTicket();
      String user = ticket.startsWith("tic-") ? ticket.substring(4, ticket.lastIndexOf('-')) : "";
      if (!ticket.equals(currentTicket.get(user))) {
        currentTicket.remove(user);
        response.onError(Status.UNAUTHENTICATED.withDescription("ticket invalid").asRuntimeException());
        return;
      }
      response.onNext(ResumeResponse.newBuilder().setGrant(grant(user)).build());
      response.onCompleted();
    }

    @Override
    public void seedAccounts(SeedAccountsRequest request, StreamObserver<SeedAccountsResponse> response) {
      if (!("Bearer " + CREDENTIAL).equals(BEARER.get())) {
        response.onError(Status.PERMISSION_DENIED.withDescription("admin credential").asRuntimeException());
        return;
      }
      seeded.addAndGet(request.getCount());
      seedFirstIndexes.add(request.getFirstIndex());
      seededPasswords.put(request.getUsernamePrefix(), request.getPassword());
      response.onNext(SeedAccountsResponse.newBuilder().setCreated(request.getCount()).build());
      response.onCompleted();
    }
  }

  private final class Directory extends DirectoryServiceGrpc.DirectoryServiceImplBase {
    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterResponse> response) {
      registers.incrementAndGet();
      if (!request.getSessionToken().startsWith("tok-")) {
        response.onError(Status.UNAUTHENTICATED.asRuntimeException());
        return;
      }
      response.onNext(RegisterResponse.newBuilder().setLeaseId("lease-" + serial.incrementAndGet())
          .setTtl(Duration.newBuilder().setSeconds(60)).build());
      response.onCompleted();
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> response) {
      heartbeats.incrementAndGet();
      response.onNext(HeartbeatResponse.newBuilder().setTtl(Duration.newBuilder().setSeconds(60)).build());
      response.onCompleted();
    }
  }

  private static final class BearerCapture implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      return Contexts.interceptCall(Context.current().withValue(BEARER, headers.get(AUTHORIZATION)), call, headers,
          next);
    }
  }
}
