package dev.stampede.bench.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * The baseline "relay": a process that copies bytes from one loopback TCP connection to another with one thread
 * and a 64 KiB buffer — two hops, no framing, no flow control beyond TCP's. A connection says what it is with its
 * first byte: {@code 'S'} (the sender) or {@code 'R'} (the receiver); anything else (a readiness probe that just
 * connects and closes) is dropped. Once both are there it copies sender → receiver until the sender closes, then
 * waits for the next pair.
 *
 * <p>Run as {@code java -cp ... dev.stampede.bench.relay.TcpCopier} with the port in
 * {@code STAMPEDE_BENCH_COPY_PORT}.
 */
public final class TcpCopier {
  /** The environment variable that carries the port. */
  public static final String PORT_ENV = "STAMPEDE_BENCH_COPY_PORT";
  static final int BUFFER = 64 * 1024;

  private TcpCopier() {
  }

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(System.getenv(PORT_ENV));
    try (ServerSocket server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
      while (true) {
        servePair(server);
      }
    }
  }

  static void servePair(ServerSocket server) throws IOException {
    Socket sender = null;
    Socket receiver = null;
    try {
      while (sender == null || receiver == null) {
        Socket s = server.accept();
        int role = readRole(s);
        if (role == 'S' && sender == null) {
          sender = s;
        } else if (role == 'R' && receiver == null) {
          receiver = s;
        } else {
          s.close();
        }
      }
      copy(sender.getInputStream(), receiver.getOutputStream());
    } finally {
      closeQuietly(sender);
      closeQuietly(receiver);
    }
  }

  private static int readRole(Socket s) throws IOException {
    s.setSoTimeout(5_000);
    try {
      int role = s.getInputStream().read();
      s.setSoTimeout(0);
      s.setTcpNoDelay(true);
      return role;
    } catch (SocketTimeoutException e) {
      return -1;
    }
  }

  static long copy(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[BUFFER];
    long total = 0;
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        total += n;
      }
    } catch (IOException e) {
      // A side went away: the pair is over.
    }
    return total;
  }

  private static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
