package dev.stampede.localstack;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A one-shot RESP2 exchange: enough to ping a server, flush it or read one value, without a client library.
 * Not for request paths.
 */
final class Resp {
  private Resp() {
  }

  /**
   * Sends one command and returns its reply: simple and bulk strings as text, integers as their decimal form,
   * a nil bulk string as {@code null}, arrays as their elements joined by newlines.
   *
   * @throws RedisReplyException when the server answers with an error (e.g. {@code LOADING})
   * @throws IOException when the connection fails
   */
  static String command(int port, Duration timeout, String... args) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      OutputStream out = socket.getOutputStream();
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      for (String arg : args) {
        byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
        request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(bytes);
        request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.write(request.toByteArray());
      out.flush();
      return readReply(new BufferedInputStream(socket.getInputStream()));
    }
  }

  private static String readReply(InputStream in) throws IOException {
    int type = in.read();
    String line = readLine(in);
    switch (type) {
      case '+':
      case ':':
        return line;
      case '-':
        throw new RedisReplyException(line);
      case '$': {
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        byte[] bytes = in.readNBytes(length);
        readLine(in);
        return new String(bytes, StandardCharsets.UTF_8);
      }
      case '*': {
        int count = Integer.parseInt(line);
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < count; i++) {
          if (i > 0) {
            joined.append('\n');
          }
          joined.append(readReply(in));
        }
        return joined.toString();
      }
      default:
        throw new IOException("unexpected RESP type byte " + type);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\r') {
      if (b < 0) {
        throw new IOException("connection closed mid-reply");
      }
      line.write(b);
    }
    if (in.read() != '\n') {
      throw new IOException("malformed RESP line");
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  /** An error reply from the server. */
  static final class RedisReplyException extends IOException {
    private static final long serialVersionUID = 1L;

    RedisReplyException(String message) {
      super(message);
    }
  }
}
