package dev.stampede.client.connect;

import dev.stampede.api.directory.v1.Endpoint;
import dev.stampede.api.directory.v1.NatType;
import dev.stampede.client.CallSettings;
import dev.stampede.client.credentials.CredentialStore;
import dev.stampede.client.retry.Backoff;
import dev.stampede.client.retry.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The settings of one {@link Connection}: who (device, user, password, credential store), how it connects (resume
 * first, start-up delay, backoff between connect rounds, retry policies, call settings) and how it stays online
 * (heartbeat and refresh timing). Immutable; build with {@link #builder(String)}. Every setter validates its
 * argument and throws {@link IllegalArgumentException} naming it.
 *
 * <p>The defaults are the SDK's discipline. A simulated legacy client is the same class with other settings: no
 * resume, a fixed backoff, its own {@link RetryPolicy}, server delays ignored — not another SDK.
 */
public final class ConnectOptions {
  /** Heartbeat every third of the lease TTL (directory.proto). */
  public static final double DEFAULT_HEARTBEAT_FRACTION = 1.0 / 3;
  /** ±10 % on each heartbeat interval, so clients that registered together drift apart. */
  public static final double DEFAULT_HEARTBEAT_JITTER = 0.1;
  /** Refresh the session token after three quarters of its lifetime. */
  public static final double DEFAULT_REFRESH_FRACTION = 0.75;
  /** ±10 % on the refresh time, so a fleet that resumed together does not refresh together. */
  public static final double DEFAULT_REFRESH_JITTER = 0.1;

  private final String deviceId;
  private final String username;
  private final Supplier<String> password;
  private final CredentialStore store;
  private final boolean resumeFirst;
  private final boolean honourServerDelays;
  private final Duration startupDelay;
  private final double heartbeatFraction;
  private final double heartbeatJitter;
  private final double refreshFraction;
  private final double refreshJitter;
  private final Backoff connectBackoff;
  private final Supplier<? extends RetryPolicy> retryPolicyFactory;
  private final CallSettings authCall;
  private final CallSettings presenceCall;
  private final List<Endpoint> endpoints;
  private final NatType natType;
  private final List<ConnectionListener> listeners;

  private ConnectOptions(Builder b) {
    this.deviceId = b.deviceId;
    this.username = b.username;
    this.password = b.password;
    this.store = b.store != null ? b.store : CredentialStore.inMemory();
    this.resumeFirst = b.resumeFirst;
    this.honourServerDelays = b.honourServerDelays;
    this.startupDelay = b.startupDelay;
    this.heartbeatFraction = b.heartbeatFraction;
    this.heartbeatJitter = b.heartbeatJitter;
    this.refreshFraction = b.refreshFraction;
    this.refreshJitter = b.refreshJitter;
    this.connectBackoff = b.connectBackoff;
    this.retryPolicyFactory = b.retryPolicyFactory;
    this.authCall = b.authCall;
    this.presenceCall = b.presenceCall;
    this.endpoints = List.copyOf(b.endpoints);
    this.natType = b.natType;
    this.listeners = List.copyOf(b.listeners);
  }

  /**
   * Starts the settings of a connection for one device.
   *
   * @param deviceId 1..64 printable ASCII characters; tickets and presence are bound to it
   */
  public static Builder builder(String deviceId) {
    return new Builder(deviceId);
  }

  public String deviceId() {
    return deviceId;
  }

  /** The user name for password log-ins, or null when the connection can only resume. */
  public String username() {
    return username;
  }

  /** Supplies the password when a log-in is needed, or null. */
  public Supplier<String> password() {
    return password;
  }

  public CredentialStore store() {
    return store;
  }

  public boolean resumeFirst() {
    return resumeFirst;
  }

  public boolean honourServerDelays() {
    return honourServerDelays;
  }

  public Duration startupDelay() {
    return startupDelay;
  }

  public double heartbeatFraction() {
    return heartbeatFraction;
  }

  public double heartbeatJitter() {
    return heartbeatJitter;
  }

  public double refreshFraction() {
    return refreshFraction;
  }

  public double refreshJitter() {
    return refreshJitter;
  }

  /** The backoff between failed connect rounds, or null for the client's retry backoff. */
  public Backoff connectBackoff() {
    return connectBackoff;
  }

  /** Makes this connection's retry policies (one for auth, one for directory), or null for the client's factory. */
  public Supplier<? extends RetryPolicy> retryPolicyFactory() {
    return retryPolicyFactory;
  }

  public CallSettings authCall() {
    return authCall;
  }

  public CallSettings presenceCall() {
    return presenceCall;
  }

  public List<Endpoint> endpoints() {
    return endpoints;
  }

  public NatType natType() {
    return natType;
  }

  public List<ConnectionListener> listeners() {
    return listeners;
  }

  @Override
  public String toString() {
    return "ConnectOptions{deviceId=" + deviceId + ", username=" + username + ", password="
        + (password == null ? "none" : "(supplied)") + ", store=" + store + ", resumeFirst=" + resumeFirst
        + ", startupDelay=" + startupDelay + "}";
  }

  /** Builds {@link ConnectOptions}. Not thread-safe. */
  public static final class Builder {
    private final String deviceId;
    private String username;
    private Supplier<String> password;
    private CredentialStore store;
    private boolean resumeFirst = true;
    private boolean honourServerDelays = true;
    private Duration startupDelay = Duration.ZERO;
    private double heartbeatFraction = DEFAULT_HEARTBEAT_FRACTION;
    private double heartbeatJitter = DEFAULT_HEARTBEAT_JITTER;
    private double refreshFraction = DEFAULT_REFRESH_FRACTION;
    private double refreshJitter = DEFAULT_REFRESH_JITTER;
    private Backoff connectBackoff;
    private Supplier<? extends RetryPolicy> retryPolicyFactory;
    private CallSettings authCall = CallSettings.inherit();
    private CallSettings presenceCall = CallSettings.inherit();
    private final List<Endpoint> endpoints = new ArrayList<>();
    private NatType natType = NatType.NAT_TYPE_UNSPECIFIED;
    private final List<ConnectionListener> listeners = new ArrayList<>();

    private Builder(String deviceId) {
      Objects.requireNonNull(deviceId, "deviceId");
      if (deviceId.isEmpty() || deviceId.length() > 64 || !deviceId.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
        throw new IllegalArgumentException("deviceId: " + printable(deviceId)
            + " (expected: 1..64 printable ASCII characters, 0x21..0x7E)");
      }
      this.deviceId = deviceId;
    }

    /**
     * The account to log in with when there is no valid ticket. The password is asked for only then.
     *
     * @param username 1..64 bytes of UTF-8, no control characters
     */
    public Builder password(String username, Supplier<String> password) {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
      int bytes = username.getBytes(StandardCharsets.UTF_8).length;
      if (bytes < 1 || bytes > 64 || username.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException("username: " + bytes
            + " bytes (expected: 1..64 bytes of UTF-8 without control characters)");
      }
      this.username = username;
      this.password = password;
      return this;
    }

    /**
     * As {@link #password(String, Supplier)} with a fixed password.
     *
     * @param password 1..1024 bytes of UTF-8
     */
    public Builder password(String username, String password) {
      Objects.requireNonNull(password, "password");
      int bytes = password.getBytes(StandardCharsets.UTF_8).length;
      if (bytes < 1 || bytes > 1024) {
        throw new IllegalArgumentException("password: " + bytes + " bytes (expected: 1..1024 bytes of UTF-8)");
      }
      return password(username, () -> password);
    }

    /** Where the resume ticket is kept (default: in memory). */
    public Builder store(CredentialStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Whether a stored ticket is tried before the password (default true). False makes every connect a password
     * log-in — only for simulating clients that had no resumption.
     */
    public Builder resumeFirst(boolean resumeFirst) {
      this.resumeFirst = resumeFirst;
      return this;
    }

    /**
     * Whether the waits between connect rounds, heartbeats and refreshes respect the delay the server last asked
     * for (default true). False only for simulating clients that ignored it; retries within a call follow the
     * {@link RetryPolicy}, which decides for itself.
     */
    public Builder honourServerDelays(boolean honour) {
      this.honourServerDelays = honour;
      return this;
    }

    /**
     * Waits a random time in {@code [0, max]} before the first connect round, so a fleet that boots together
     * arrives spread out.
     */
    public Builder startupDelay(Duration max) {
      Objects.requireNonNull(max, "startupDelay");
      if (max.isNegative()) {
        throw new IllegalArgumentException("startupDelay: " + max + " (expected: >= 0)");
      }
      this.startupDelay = max;
      return this;
    }

    /** Heartbeat interval as a fraction of the lease TTL, in (0, 1), with relative jitter in [0, 0.5]. */
    public Builder heartbeat(double fraction, double jitter) {
      checkFraction("heartbeatFraction", fraction);
      checkJitter("heartbeatJitter", jitter);
      this.heartbeatFraction = fraction;
      this.heartbeatJitter = jitter;
      return this;
    }

    /** Session refresh as a fraction of the token lifetime, in (0, 1), with relative jitter in [0, 0.5]. */
    public Builder sessionRefresh(double fraction, double jitter) {
      checkFraction("refreshFraction", fraction);
      checkJitter("refreshJitter", jitter);
      this.refreshFraction = fraction;
      this.refreshJitter = jitter;
      return this;
    }

    /**
     * The wait between failed connect rounds (the n-th failed round waits {@code delayNanos(n)}), never shorter
     * than the delay the server last asked for. Default: full jitter with the client's retry backoff settings.
     */
    public Builder connectBackoff(Backoff backoff) {
      this.connectBackoff = Objects.requireNonNull(backoff, "connectBackoff");
      return this;
    }

    /** Makes this connection's retry policies (default: the client's factory, fresh state per connection). */
    public Builder retryPolicyFactory(Supplier<? extends RetryPolicy> factory) {
      this.retryPolicyFactory = Objects.requireNonNull(factory, "retryPolicyFactory");
      return this;
    }

    /** Settings of Login and Resume calls (deadline, attempt timeout, ...). */
    public Builder authCall(CallSettings settings) {
      this.authCall = Objects.requireNonNull(settings, "authCall");
      return this;
    }

    /** Settings of Register, Heartbeat and Unregister calls. */
    public Builder presenceCall(CallSettings settings) {
      this.presenceCall = Objects.requireNonNull(settings, "presenceCall");
      return this;
    }

    /** How peers can reach this device, published with presence (0..8). */
    public Builder endpoints(List<Endpoint> endpoints, NatType natType) {
      Objects.requireNonNull(endpoints, "endpoints");
      Objects.requireNonNull(natType, "natType");
      if (endpoints.size() > 8) {
        throw new IllegalArgumentException("endpoints: " + endpoints.size() + " (expected: 0..8)");
      }
      this.endpoints.clear();
      this.endpoints.addAll(endpoints);
      this.natType = natType;
      return this;
    }

    /** Adds a state listener. */
    public Builder listener(ConnectionListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    public ConnectOptions build() {
      return new ConnectOptions(this);
    }

    private static void checkFraction(String name, double v) {
      if (!(v > 0 && v < 1)) {
        throw new IllegalArgumentException(name + ": " + v + " (expected: 0 < value < 1)");
      }
    }

    private static void checkJitter(String name, double v) {
      if (!(v >= 0 && v <= 0.5)) {
        throw new IllegalArgumentException(name + ": " + v + " (expected: 0 <= value <= 0.5)");
      }
    }

    private static String printable(String s) {
      StringBuilder out = new StringBuilder("'");
      s.codePoints().limit(70).forEach(c -> {
        if (c >= 0x20 && c < 0x7f) {
          out.appendCodePoint(c);
        } else {
          out.append(String.format("\\u%04x", c));
        }
      });
      return out.append(s.length() > 70 ? "...'" : "'").append(" (").append(s.length()).append(" chars)").toString();
    }
  }
}
