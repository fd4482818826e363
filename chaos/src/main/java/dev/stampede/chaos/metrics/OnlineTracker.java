package dev.stampede.chaos.metrics;

import java.util.BitSet;
import java.util.OptionalLong;

/**
 * Which virtual clients are online — session obtained <em>and</em> presence registered (DESIGN §6) — and when 99 %
 * of them were online again after the trigger.
 *
 * <p>A client that is due to reboot in the storm does not count towards recovery until it has rebooted: with
 * clients rebooting uniformly over W, the ones that have not rebooted yet are online, and counting them would end
 * "recovery" before most reboots happened. So {@link #recoveredOnline()} counts clients that are online and either
 * not part of the storm or already rebooted, and T99 is the first time at or after t0 when that count reached
 * {@code ceil(0.99 × population)}.
 *
 * <p>Times are nanoseconds on the caller's clock. Thread-safe (one lock; a transition costs well under a
 * microsecond, far below the storm's event rate).
 */
public final class OnlineTracker {
  /** The share of clients that must be online again: 99 %. */
  public static final double RECOVERED_SHARE = 0.99;

  private int population;
  private int target;
  private final BitSet online;
  private final BitSet inStorm;
  private final BitSet rebooted;
  private int onlineCount;
  private int recoveredOnline;
  private long t0 = Long.MIN_VALUE;
  private long t99 = Long.MIN_VALUE;

  /**
   * @param population the number of clients, indexed 0..population-1
   */
  public OnlineTracker(int population) {
    if (population < 1) {
      throw new IllegalArgumentException("population: " + population + " (expected: >= 1)");
    }
    this.population = population;
    this.target = (int) Math.ceil(RECOVERED_SHARE * population - 1e-9);
    this.online = new BitSet(population);
    this.inStorm = new BitSet(population);
    this.rebooted = new BitSet(population);
  }

  /** The number of clients. */
  public synchronized int population() {
    return population;
  }

  /** How many clients must be online again for recovery: ceil(0.99 × population). */
  public synchronized int target() {
    return target;
  }

  /**
   * Shrinks the population to clients 0..clients-1 (a run that chose its N during the ramp), before the storm.
   *
   * @throws IllegalArgumentException if {@code clients} is not in 1..population, or a client outside it is online
   *     or due to reboot
   */
  public synchronized void limit(int clients) {
    if (clients < 1 || clients > population) {
      throw new IllegalArgumentException("clients: " + clients + " (expected: 1.." + population + ")");
    }
    int outside = Math.max(online.nextSetBit(clients), inStorm.nextSetBit(clients));
    if (outside >= 0) {
      throw new IllegalArgumentException("clients: " + clients + " (client " + outside
          + " beyond it is online or due to reboot)");
    }
    population = clients;
    target = (int) Math.ceil(RECOVERED_SHARE * clients - 1e-9);
  }

  /** Marks a client as one that will reboot in the storm (before t0). */
  public synchronized void scheduleReboot(int client) {
    check(client);
    if (!inStorm.get(client) && online.get(client)) {
      recoveredOnline--;
    }
    inStorm.set(client);
  }

  /** Starts the recovery clock: the trigger t0. */
  public synchronized void trigger(long nanos) {
    t0 = nanos;
    t99 = Long.MIN_VALUE;
    checkRecovered(nanos);
  }

  /** The client's machine rebooted: it is offline, and from now on counts towards recovery when online. */
  public synchronized void reboot(int client, long nanos) {
    check(client);
    offline(client, nanos);
    rebooted.set(client);
  }

  /** The client obtained a session and registered presence. */
  public synchronized void online(int client, long nanos) {
    check(client);
    if (online.get(client)) {
      return;
    }
    online.set(client);
    onlineCount++;
    if (counts(client)) {
      recoveredOnline++;
      checkRecovered(nanos);
    }
  }

  /** The client lost its session or its presence. */
  public synchronized void offline(int client, long nanos) {
    check(client);
    if (!online.get(client)) {
      return;
    }
    online.clear(client);
    onlineCount--;
    if (counts(client)) {
      recoveredOnline--;
    }
  }

  /** Clients online now. */
  public synchronized int onlineCount() {
    return onlineCount;
  }

  /** Clients online now that count towards recovery (not due to reboot, or already rebooted). */
  public synchronized int recoveredOnline() {
    return recoveredOnline;
  }

  /** Whether the client is online. */
  public synchronized boolean isOnline(int client) {
    check(client);
    return online.get(client);
  }

  /** t0, if the trigger happened. */
  public synchronized OptionalLong t0() {
    return t0 == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(t0);
  }

  /** The time 99 % of the clients were online again (absolute nanoseconds), if they were. */
  public synchronized OptionalLong t99() {
    return t99 == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(t99);
  }

  private boolean counts(int client) {
    return !inStorm.get(client) || rebooted.get(client);
  }

  private void checkRecovered(long nanos) {
    if (t0 != Long.MIN_VALUE && t99 == Long.MIN_VALUE && recoveredOnline >= target) {
      t99 = Math.max(nanos, t0);
    }
  }

  private void check(int client) {
    if (client < 0 || client >= population) {
      throw new IndexOutOfBoundsException("client: " + client + " (expected: 0.." + (population - 1) + ")");
    }
  }
}
