package dev.stampede.cli.testapp;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

/**
 * Stands in for a service's quarkus-run.jar in CLI tests, with the JDK only: {@code /q/health/ready} and
 * {@code /hello} (its pid) on {@code QUARKUS_HTTP_PORT}, TCP on {@code QUARKUS_GRPC_SERVER_PORT}.
 */
public final class FakeQuarkusApp {
  private FakeQuarkusApp() {}

  public static void main(String[] args) throws Exception {
    InetAddress host = InetAddress.getByName(System.getenv().getOrDefault("QUARKUS_HTTP_HOST", "127.0.0.1"));
    HttpServer http = HttpServer.create(new InetSocketAddress(host,
        Integer.parseInt(System.getenv("QUARKUS_HTTP_PORT"))), 16);
    http.createContext("/q/health/ready", ex -> {
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    http.createContext("/hello", ex -> {
      byte[] body = Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    http.start();
    ServerSocket grpc = new ServerSocket(Integer.parseInt(System.getenv("QUARKUS_GRPC_SERVER_PORT")), 16, host);
    Thread t = new Thread(() -> {
      while (true) {
        try {
          grpc.accept().close();
        } catch (Exception e) {
          return;
        }
      }
    });
    t.start();
  }
}
