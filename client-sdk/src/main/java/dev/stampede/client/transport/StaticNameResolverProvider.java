package dev.stampede.client.transport;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import io.grpc.StatusOr;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Resolves {@code stampede-static:///host:port,host:port} to those addresses, so a fixed list of local replicas
 * gets the same round-robin balancing as a Kubernetes headless service. Host names are resolved on gRPC's offload
 * executor, again on every refresh (gRPC refreshes when connections fail).
 */
final class StaticNameResolverProvider extends NameResolverProvider {

  /** Registers the provider once per JVM; the scheme is the SDK's own, so nothing else is affected. */
  static void ensureRegistered() {
    Holder.INSTANCE.getClass();
  }

  private static final class Holder {
    static final StaticNameResolverProvider INSTANCE = new StaticNameResolverProvider();

    static {
      NameResolverRegistry.getDefaultRegistry().register(INSTANCE);
    }
  }

  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    return 5;
  }

  @Override
  public String getDefaultScheme() {
    return Targets.STATIC_SCHEME;
  }

  @Override
  public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
    return List.of(InetSocketAddress.class);
  }

  @Override
  public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
    if (!Targets.STATIC_SCHEME.equals(targetUri.getScheme())) {
      return null;
    }
    String path = targetUri.getPath();
    String list = path != null && path.startsWith("/") ? path.substring(1) : path;
    List<Targets.HostPort> hosts = Targets.parseList("target", list == null ? "" : list);
    return new Resolver(hosts, args);
  }

  private static final class Resolver extends NameResolver {
    private final List<Targets.HostPort> hosts;
    private final Executor offload;
    private final io.grpc.SynchronizationContext sync;
    private Listener2 listener;
    private boolean resolving;
    private boolean shutdown;

    Resolver(List<Targets.HostPort> hosts, Args args) {
      this.hosts = hosts;
      Executor executor = args.getOffloadExecutor();
      this.offload = executor != null ? executor : Runnable::run;
      this.sync = args.getSynchronizationContext();
    }

    @Override
    public String getServiceAuthority() {
      return hosts.get(0).toString();
    }

    @Override
    public void start(Listener2 listener) {
      this.listener = listener;
      resolve();
    }

    @Override
    public void refresh() {
      resolve();
    }

    private void resolve() {
      if (resolving || shutdown) {
        return;
      }
      resolving = true;
      offload.execute(() -> {
        List<EquivalentAddressGroup> groups = new ArrayList<>();
        for (Targets.HostPort hp : hosts) {
          InetSocketAddress address = new InetSocketAddress(hp.host(), hp.port());
          if (!address.isUnresolved()) {
            groups.add(new EquivalentAddressGroup(address));
          }
        }
        sync.execute(() -> {
          resolving = false;
          if (shutdown) {
            return;
          }
          if (groups.isEmpty()) {
            listener.onError(Status.UNAVAILABLE.withDescription("none of " + hosts + " resolves"));
          } else {
            listener.onResult2(ResolutionResult.newBuilder().setAddressesOrError(StatusOr.fromValue(groups)).build());
          }
        });
      });
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }
  }
}
