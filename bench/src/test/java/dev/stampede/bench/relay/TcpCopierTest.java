package dev.stampede.bench.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TcpCopierTest {
  @Test
  void copiesSenderToReceiverExactly_ignoringProbes() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
        try {
          TcpCopier.servePair(server);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      // A readiness probe: connects and leaves.
      new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort()).close();
      byte[] payload = new byte[1_000_000];
      new Random(3).nextBytes(payload);
      try (Socket receiver = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
           Socket sender = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
        receiver.getOutputStream().write('R');
        sender.getOutputStream().write('S');
        CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> {
          try (InputStream in = receiver.getInputStream()) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toByteArray();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        sender.getOutputStream().write(payload);
        sender.close();
        assertThat(got.get(10, TimeUnit.SECONDS)).isEqualTo(payload);
      }
      served.get(10, TimeUnit.SECONDS);
    }
  }
}
