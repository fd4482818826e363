package dev.stampede.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds free TCP ports on the loopback interface.
 *
 * <p>A port is free when the call returns; another process may still take it before the caller binds it, so callers
 * that start servers retry on a bind failure. Ports handed out by this JVM are not handed out twice, which prevents
 * the common collision of two children started back to back. Thread-safe.
 */
public final class FreePorts {
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private FreePorts() {
  }

  /**
   * Returns a port that nothing listens on at 127.0.0.1 right now and that this JVM has not handed out before.
   *
   * @throws UncheckedIOException if the operating system has no free port to give
   */
  public static int find() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = probe();
      if (HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new UncheckedIOException(new IOException("no free loopback port after 100 attempts"));
  }

  /** Whether something accepts connections on {@code 127.0.0.1:port}. */
  public static boolean isListening(int port) {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int probe() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot probe for a free loopback port", e);
    }
  }
}
