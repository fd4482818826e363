package dev.stampede.directory.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.api.directory.v1.DirectoryServiceGrpc;
import dev.stampede.api.directory.v1.WatchEvent;
import dev.stampede.api.directory.v1.WatchRequest;
import dev.stampede.directory.domain.Endpoint;
import dev.stampede.directory.domain.EndpointKind;
import dev.stampede.directory.domain.NatType;
import dev.stampede.directory.grpc.DirectoryMetrics;
import dev.stampede.directory.store.PresenceStore;
import dev.stampede.testing.RedisTestResource;
import dev.stampede.tokens.SessionClaims;
import dev.stampede.tokens.VerifiedSession;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A watcher that never reads must not make the server buffer without bound: the transport's flow-control window
 * fills, the server stops sending, and each watched user keeps at most one pending (coalesced) event, whatever the
 * rate of change. When the watcher finally reads it gets every user's latest presence.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(DirectoryTestResource.class)
class SlowWatcherIT {
  private static final int USERS = 100;
  private static final int DEVICES = 4;
  /** What unbounded buffering would have needed: several times the heap growth we allow. */
  private static final long PRESSURE_BYTES = 128L << 20;
  private static final long ALLOWED_HEAP_GROWTH = 24L << 20;

  @Inject
  PresenceStore store;

  @Inject
  DirectoryMetrics metrics;

  @Test
  void neverReadingWatcher_holdsAtMostOneEventPerUser_andTheHeapStaysFlat() throws Exception {
    List<String> users = new ArrayList<>();
    for (int i = 0; i < USERS; i++) {
      users.add("slow-u" + i);
    }
    // Big presences: four devices of eight long-named endpoints each, ≈ 7 KB per event.
    for (String user : users) {
      for (int d = 0; d < DEVICES; d++) {
        await(store.register(session(user, "d" + d), endpoints(0), NatType.OPEN));
      }
    }

    // A client whose window is small and fixed, and which never asks for a message.
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", DirectoryTestResource.grpcPort)
        .usePlaintext().flowControlWindow(65_535).build();
    ClientCall<WatchRequest, WatchEvent> call = channel.newCall(DirectoryServiceGrpc.getWatchMethod(),
        CallOptions.DEFAULT);
    List<WatchEvent> received = java.util.Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Status> ended = new CompletableFuture<>();
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onMessage(WatchEvent message) {
        received.add(message);
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        ended.complete(status);
      }
    }, new Metadata());
    call.sendMessage(WatchRequest.newBuilder().setSessionToken(TestTokens.token("slow-watcher", "w"))
        .addAllUserIds(users).build());
    call.halfClose();
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> metrics.pendingEvents() > 0);

    long heapBefore = usedHeapAfterGc();
    double eventsBefore = metrics.coalescedEvents();
    int eventBytes = WatchEvent.newBuilder().setPresence(dev.stampede.api.directory.v1.Presence.newBuilder()
        .setUserId("slow-u0")).build().getSerializedSize() + DEVICES * 8 * 260;
    long offeredBytes = 0;
    int round = 1;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (offeredBytes < PRESSURE_BYTES && System.nanoTime() < deadline) {
      List<CompletableFuture<?>> writes = new ArrayList<>();
      for (String user : users) {
        writes.add(store.register(session(user, "d" + (round % DEVICES)), endpoints(round), NatType.OPEN)
            .toCompletableFuture());
      }
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      offeredBytes = (long) ((metrics.coalescedEvents() - eventsBefore) * eventBytes);
      assertThat(metrics.pendingEvents()).isLessThanOrEqualTo(USERS);
      round++;
    }
    long heapAfter = usedHeapAfterGc();

    System.out.printf("slow watcher: %d rounds of %d changes, %.0f events coalesced (%d MB had they been buffered),"
        + " heap %+d MB, %d events received%n", round - 1, USERS, metrics.coalescedEvents() - eventsBefore,
        offeredBytes >> 20, (heapAfter - heapBefore) >> 20, received.size());
    assertThat(offeredBytes).as("pressure generated").isGreaterThanOrEqualTo(PRESSURE_BYTES);
    assertThat(heapAfter - heapBefore).as("heap growth").isLessThan(ALLOWED_HEAP_GROWTH);
    assertThat(metrics.pendingEvents()).isLessThanOrEqualTo(USERS);
    assertThat(received).isEmpty();
    assertThat(ended).isNotDone();

    // Reading at last: every user's latest presence arrives, the coalesced ones marked so.
    Map<String, WatchEvent> latest = new ConcurrentHashMap<>();
    call.request(Integer.MAX_VALUE);
    Map<String, String> expected = new HashMap<>();
    for (String user : users) {
      expected.put(user, await(store.read(user)).presence().devices().toString());
    }
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
      synchronized (received) {
        received.forEach(e -> latest.put(e.getPresence().getUserId(), e));
      }
      assertThat(ended).as("the watch must stay open").isNotDone();
      return latest.size() == USERS && users.stream().allMatch(u -> ports(latest.get(u))
          .equals(ports(expected.get(u))));
    });
    synchronized (received) {
      assertThat(received).anyMatch(WatchEvent::getCoalesced);
    }
    call.cancel("done", null);
    channel.shutdownNow();
  }

  /** The endpoint ports of a presence, in device order (what changes from round to round). */
  private static String ports(WatchEvent e) {
    List<Integer> ports = new ArrayList<>();
    e.getPresence().getDevicesList().forEach(d -> d.getEndpointsList().forEach(p -> ports.add(p.getPort())));
    return ports.toString();
  }

  private static String ports(String domainDevices) {
    List<Integer> ports = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("port=(\\d+)").matcher(domainDevices);
    while (m.find()) {
      ports.add(Integer.parseInt(m.group(1)));
    }
    return ports.toString();
  }

  private static List<Endpoint> endpoints(int round) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String name = ("candidate-" + i + "-").repeat(20).substring(0, 200) + ".example.org";
      endpoints.add(new Endpoint(name, 1 + (round * 8 + i) % 65000, EndpointKind.HOST));
    }
    return endpoints;
  }

  private static VerifiedSession session(String user, String device) {
    Instant now = Instant.now();
    return new VerifiedSession(new SessionClaims(user, device, "s", now, now.plusSeconds(600)), "directory", "d1");
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
