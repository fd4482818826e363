package dev.stampede.client.transport;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import javax.net.ssl.TrustManager;

/**
 * Transport security of the client's channels: plaintext, or TLS with the JDK's trust store, with given CA
 * certificates, or with a trust manager; optionally with a client certificate (mutual TLS) and an authority
 * override for certificate checks. Immutable and thread-safe.
 *
 * <p>Trust material is read when the client is built, so a missing or unreadable file fails the build with a
 * message that names it, not the first call.
 */
public final class Tls {
  private static final Tls PLAINTEXT = new Tls(false, null, null, null, null, null);
  private static final Tls SYSTEM = new Tls(true, null, null, null, null, null);

  private final boolean enabled;
  private final Path trustCertificates;
  private final TrustManager trustManager;
  private final Path clientCertificateChain;
  private final Path clientPrivateKey;
  private final String authority;

  private Tls(boolean enabled, Path trustCertificates, TrustManager trustManager, Path clientCertificateChain,
      Path clientPrivateKey, String authority) {
    this.enabled = enabled;
    this.trustCertificates = trustCertificates;
    this.trustManager = trustManager;
    this.clientCertificateChain = clientCertificateChain;
    this.clientPrivateKey = clientPrivateKey;
    this.authority = authority;
  }

  /** No encryption: loopback, or a mesh that encrypts for you. */
  public static Tls plaintext() {
    return PLAINTEXT;
  }

  /** TLS trusting the JDK's default trust store. */
  public static Tls systemTrust() {
    return SYSTEM;
  }

  /**
   * TLS trusting exactly the CA certificates in a PEM file.
   *
   * @throws IllegalArgumentException if the file is not a readable regular file
   */
  public static Tls trustCertificates(Path pemFile) {
    Objects.requireNonNull(pemFile, "pemFile");
    checkReadable("trustCertificates", pemFile);
    return new Tls(true, pemFile, null, null, null, null);
  }

  /** TLS with the given trust manager (for trust stores that are not PEM files). */
  public static Tls trustManager(TrustManager trustManager) {
    return new Tls(true, null, Objects.requireNonNull(trustManager, "trustManager"), null, null, null);
  }

  /**
   * Adds a client certificate (mutual TLS).
   *
   * @throws IllegalStateException on plaintext
   * @throws IllegalArgumentException if a file is not readable
   */
  public Tls withClientCertificate(Path certificateChainPem, Path privateKeyPem) {
    if (!enabled) {
      throw new IllegalStateException("withClientCertificate: plaintext has no client certificate (expected: TLS)");
    }
    checkReadable("certificateChainPem", certificateChainPem);
    checkReadable("privateKeyPem", privateKeyPem);
    return new Tls(true, trustCertificates, trustManager, certificateChainPem, privateKeyPem, authority);
  }

  /**
   * Checks server certificates against {@code authority} instead of the target's host (a host list of IP
   * addresses behind one certificate name, for instance).
   *
   * @throws IllegalArgumentException if {@code authority} is empty or contains white space
   */
  public Tls withAuthority(String authority) {
    Objects.requireNonNull(authority, "authority");
    if (authority.isEmpty() || authority.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("authority: '" + authority + "' (expected: a host name, no white space)");
    }
    return new Tls(enabled, trustCertificates, trustManager, clientCertificateChain, clientPrivateKey, authority);
  }

  public boolean isEnabled() {
    return enabled;
  }

  /** The authority override, or null. */
  public String authority() {
    return authority;
  }

  /**
   * The gRPC credentials for these settings.
   *
   * @throws UncheckedIOException if trust or key material cannot be read or parsed
   */
  public ChannelCredentials toChannelCredentials() {
    if (!enabled) {
      return InsecureChannelCredentials.create();
    }
    TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
    try {
      if (trustCertificates != null) {
        builder.trustManager(trustCertificates.toFile());
      } else if (trustManager != null) {
        builder.trustManager(trustManager);
      }
      if (clientCertificateChain != null) {
        builder.keyManager(clientCertificateChain.toFile(), clientPrivateKey.toFile());
      }
    } catch (IOException | RuntimeException e) {
      throw new UncheckedIOException(new IOException("TLS material unreadable: " + describe(), e));
    }
    return builder.build();
  }

  private static void checkReadable(String name, Path file) {
    Objects.requireNonNull(file, name);
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(name + ": " + file + " (expected: a readable PEM file)");
    }
  }

  private String describe() {
    if (!enabled) {
      return "plaintext";
    }
    StringBuilder s = new StringBuilder("TLS trusting ");
    s.append(trustCertificates != null ? trustCertificates.toString()
        : trustManager != null ? "a trust manager" : "the system trust store");
    if (clientCertificateChain != null) {
      s.append(", client certificate ").append(clientCertificateChain);
    }
    if (authority != null) {
      s.append(", authority ").append(authority);
    }
    return s.toString();
  }

  @Override
  public String toString() {
    return "Tls{" + describe() + "}";
  }
}
