package dev.stampede.localstack;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * How {@link JavaApp#awaitReady} decides that an app is ready. Implementations must be cheap and must not block
 * longer than about a second.
 */
@FunctionalInterface
public interface Readiness {

  /** Whether {@code app} is ready now. */
  boolean isReady(JavaApp app);

  /** Ready once {@code GET http://127.0.0.1:<port named portName><path>} answers 200 (e.g. {@code /q/health/ready}). */
  static Readiness httpOk(String portName, String path) {
    return app -> {
      try {
        HttpURLConnection connection = (HttpURLConnection)
            URI.create("http://127.0.0.1:" + app.port(portName) + path).toURL().openConnection();
        connection.setConnectTimeout(500);
        connection.setReadTimeout(1000);
        try {
          return connection.getResponseCode() == 200;
        } finally {
          connection.disconnect();
        }
      } catch (IOException e) {
        return false;
      }
    };
  }

  /** Ready once something accepts TCP connections on the port named {@code portName}. */
  static Readiness tcp(String portName) {
    return app -> FreePorts.isListening(app.port(portName));
  }

  /** Ready as soon as the process runs. */
  static Readiness started() {
    return app -> true;
  }
}
