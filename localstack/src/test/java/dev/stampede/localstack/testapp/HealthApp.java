package dev.stampede.localstack.testapp;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A trivial app for tests: serves /q/health/ready and /hello on {@code $APP_HTTP_PORT}, and nothing else. */
public final class HealthApp {
  private HealthApp() {
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(System.getenv("APP_HTTP_PORT"));
    String greeting = System.getenv().getOrDefault("APP_GREETING", "hello");
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    server.createContext("/q/health/ready", exchange -> {
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.createContext("/hello", exchange -> {
      byte[] body = (greeting + " from " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }
}
