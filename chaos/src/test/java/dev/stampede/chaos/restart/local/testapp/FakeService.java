package dev.stampede.chaos.restart.local.testapp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stand-in for a Stampede service in local-engine tests, using only the JDK: serves {@code /q/health/ready} on
 * {@code QUARKUS_HTTP_PORT} (after {@code FAKE_READY_DELAY_MS}), accepts TCP on {@code QUARKUS_GRPC_SERVER_PORT},
 * answers {@code /hello} with its pid, {@code /env} with the names of its {@code STAMPEDE_*} variables (values
 * only for non-secrets, a SHA-256 for the admin credential), and exits with code 3 on {@code /crash}.
 */
public final class FakeService {
  private FakeService() {}

  public static void main(String[] args) throws Exception {
    long readyAt = System.currentTimeMillis() + Long.parseLong(System.getenv().getOrDefault("FAKE_READY_DELAY_MS", "0"));
    InetAddress loopback = InetAddress.getByName(System.getenv().getOrDefault("QUARKUS_HTTP_HOST", "127.0.0.1"));
    HttpServer http = HttpServer.create(new InetSocketAddress(loopback,
        Integer.parseInt(System.getenv("QUARKUS_HTTP_PORT"))), 16);
    http.createContext("/q/health/ready", ex -> reply(ex, System.currentTimeMillis() >= readyAt ? 200 : 503, "{}"));
    http.createContext("/hello", ex -> reply(ex, 200, Long.toString(ProcessHandle.current().pid())));
    http.createContext("/env", ex -> reply(ex, 200, env()));
    http.createContext("/crash", ex -> {
      reply(ex, 200, "bye");
      Runtime.getRuntime().halt(3);
    });
    http.start();
    String grpc = System.getenv("QUARKUS_GRPC_SERVER_PORT");
    if (grpc != null) {
      ServerSocket socket = new ServerSocket(Integer.parseInt(grpc), 16, loopback);
      Thread acceptor = new Thread(() -> {
        while (true) {
          try (Socket s = socket.accept()) {
            s.getOutputStream().write('!');
          } catch (IOException e) {
            return;
          }
        }
      }, "grpc-acceptor");
      acceptor.start();
    }
  }

  private static String env() {
    Map<String, String> out = new TreeMap<>();
    System.getenv().forEach((k, v) -> {
      if (k.startsWith("STAMPEDE_TOKEN_KEYS_")) {
        out.put(k, "<" + v.split(",").length + " key(s)>");
      } else if (k.equals("STAMPEDE_AUTH_ADMIN_CREDENTIAL")) {
        out.put(k, sha256(v));
      } else if (k.startsWith("STAMPEDE_") || k.startsWith("QUARKUS_")) {
        out.put(k, v);
      }
    });
    StringBuilder s = new StringBuilder();
    out.forEach((k, v) -> s.append(k).append('=').append(v).append('\n'));
    return s.toString();
  }

  static String sha256(String v) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(v.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void reply(HttpExchange ex, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(code, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }
}
