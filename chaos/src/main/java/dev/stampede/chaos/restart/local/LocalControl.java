package dev.stampede.chaos.restart.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stampede.chaos.restart.AbortSignal;
import dev.stampede.chaos.restart.Journal;
import dev.stampede.chaos.restart.JournalEvent;
import dev.stampede.chaos.restart.JournalJson;
import dev.stampede.chaos.restart.PlanSpec;
import dev.stampede.chaos.restart.RestartException;
import dev.stampede.chaos.restart.RestartPlan;
import dev.stampede.chaos.restart.RestartRefusedException;
import dev.stampede.chaos.restart.SafetyPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * How {@code stampede restart --engine local} reaches the stack of a running {@code stampede up}: a Unix domain
 * socket ({@code control.sock} in the stack's state directory, readable by its owner only), one request per
 * connection, answered with a stream of journal events.
 *
 * <pre>
 * client → {"plan": {PlanSpec map}, "maxFraction": 1.0}
 * server → {"event": {journal event}}            (the run's events and the replicas' exits/starts/readiness)
 *          ...
 *          {"result": {JournalJson result}}       or   {"error": {"kind": "refused"|"invalid"|"failed", "message": "..."}}
 * </pre>
 *
 * <p>A client that disconnects (Ctrl-C) aborts its run; the stack keeps running. Thread-safe.
 */
public final class LocalControl {

  /** The socket's file name in the state directory. */
  public static final String SOCKET = "control.sock";
  private static final int MAX_LINE = 1 << 20;

  private LocalControl() {}

  /** A running control server; close it to stop accepting requests. */
  public static final class Server implements AutoCloseable {
    private final ServerSocketChannel channel;
    private final Path socket;
    private final LocalStack stack;
    private final Thread acceptor;
    private volatile boolean closed;

    private Server(ServerSocketChannel channel, Path socket, LocalStack stack) {
      this.channel = channel;
      this.socket = socket;
      this.stack = stack;
      this.acceptor = new Thread(this::acceptLoop, "local-control");
      this.acceptor.setDaemon(true);
    }

    /** The socket path. */
    public Path socket() {
      return socket;
    }

    @Override
    public void close() {
      closed = true;
      try {
        channel.close();
      } catch (IOException e) {
        // closing anyway
      }
      try {
        Files.deleteIfExists(socket);
      } catch (IOException e) {
        // a stale socket is detected and replaced by the next server
      }
    }

    private void acceptLoop() {
      while (!closed) {
        try {
          SocketChannel client = channel.accept();
          Thread t = new Thread(() -> serve(client), "local-control-client");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          if (!closed) {
            // A broken accept should not end the stack; the next accept may work.
            sleepQuietly();
          }
        }
      }
    }

    private void serve(SocketChannel client) {
      AbortSignal abort = new AbortSignal();
      try (client) {
        // Direct channel reads and writes: the stream adapters of Channels share one lock, so a read that waits
        // for the client's EOF would block every event written meanwhile.
        LineReader in = new LineReader(client);
        String line = in.readLine();
        if (line == null) {
          return;
        }
        RestartPlan plan;
        double maxFraction;
        try {
          JsonNode request = JournalJson.read(line);
          if (!request.path("plan").isObject()) {
            throw new IllegalArgumentException("request: missing plan");
          }
          plan = PlanSpec.fromMap(JournalJson.toMap(request.get("plan")), "plan");
          maxFraction = request.path("maxFraction").asDouble(1.0);
        } catch (IllegalArgumentException e) {
          send(client, error("invalid", e.getMessage()));
          return;
        }
        Thread watcher = new Thread(() -> {
          try {
            while (in.readLine() != null) {
              // the client sends nothing more; EOF means it went away
            }
          } catch (IOException e) {
            // same: gone
          }
          abort.set();
        }, "local-control-watch");
        watcher.setDaemon(true);
        watcher.start();

        Journal journal = new Journal();
        Consumer<JournalEvent> forward = e -> {
          try {
            send(client, wrap("event", JournalJson.event(e)));
          } catch (IOException ex) {
            abort.set();
          }
        };
        journal.subscribe(forward);
        stack.journal().subscribe(forward);
        ObjectNode answer;
        try {
          LocalEngine engine = LocalEngine.builder(stack).policy(SafetyPolicy.DEFAULT.withMaxFraction(maxFraction))
              .build();
          answer = wrap("result", JournalJson.result(engine.run(plan, journal, abort)));
        } catch (RestartRefusedException e) {
          answer = error("refused", e.getMessage());
        } catch (IllegalArgumentException e) {
          answer = error("invalid", e.getMessage());
        } catch (RestartException | IllegalStateException e) {
          answer = error("failed", e.getMessage());
        } finally {
          stack.journal().unsubscribe(forward);
        }
        send(client, answer);
      } catch (IOException e) {
        abort.set();
      }
    }

    private static void sleepQuietly() {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Serves restart requests for {@code stack} on {@code stateDir/control.sock}. The directory is created with
   * owner-only permissions; a stale socket file (no server behind it) is replaced.
   *
   * @throws IllegalStateException if another server answers on that socket (another {@code up} is running)
   * @throws UncheckedIOException if the socket cannot be created (e.g. the path is too long for a Unix socket)
   */
  public static Server serve(Path stateDir, LocalStack stack) {
    Path socket = stateDir.resolve(SOCKET).toAbsolutePath();
    try {
      Files.createDirectories(stateDir);
      try {
        Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString("rwx------"));
      } catch (UnsupportedOperationException e) {
        // not POSIX
      }
      if (Files.exists(socket)) {
        if (isServing(socket)) {
          throw new IllegalStateException("another stampede up is running (its control socket " + socket
              + " answers); stop it first");
        }
        Files.delete(socket);
      }
      ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      channel.bind(UnixDomainSocketAddress.of(socket));
      Server server = new Server(channel, socket, stack);
      server.acceptor.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the control socket " + socket + ": " + e.getMessage(), e);
    }
  }

  /** Whether a control server answers on {@code socket}. */
  public static boolean isServing(Path socket) {
    try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      c.connect(UnixDomainSocketAddress.of(socket));
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * What the server answered.
   *
   * @param result the result JSON ({@link JournalJson#result}), or null on error
   * @param errorKind {@code refused}, {@code invalid} or {@code failed}, or null
   * @param errorMessage the one-line error, or null
   */
  public record Answer(JsonNode result, String errorKind, String errorMessage) {}

  /**
   * Sends a plan to the stack behind {@code socket} and streams its events to {@code onEvent} until the result.
   *
   * @throws RestartException if nothing answers on the socket (no {@code up} running) or the connection breaks
   */
  public static Answer request(Path socket, RestartPlan plan, double maxFraction, Consumer<JournalEvent> onEvent) {
    return request(socket, plan, maxFraction, onEvent, new AbortSignal());
  }

  /**
   * As {@link #request(Path, RestartPlan, double, Consumer)}; setting {@code abort} (Ctrl-C) half-closes the
   * connection, which aborts the run in the stack: the stack answers with the run's {@code abort} events and a
   * result marked aborted.
   */
  public static Answer request(Path socket, RestartPlan plan, double maxFraction, Consumer<JournalEvent> onEvent,
      AbortSignal abort) {
    if (!Files.exists(socket)) {
      throw new RestartException("no local stack is running: " + socket + " does not exist (start one with"
          + " ./stampede up)");
    }
    try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      try {
        c.connect(UnixDomainSocketAddress.of(socket));
      } catch (IOException e) {
        throw new RestartException("no local stack is running: nothing answers on " + socket
            + " (start one with ./stampede up)", e);
      }
      ObjectNode request = JsonNodeFactory.instance.objectNode();
      request.set("plan", JournalJson.tree(PlanSpec.toMap(plan)));
      request.put("maxFraction", maxFraction);
      send(c, request);
      Thread aborter = new Thread(() -> {
        try {
          while (!abort.await(Duration.ofMillis(200))) {
            if (!c.isOpen()) {
              return;
            }
          }
          c.shutdownOutput();
        } catch (InterruptedException | IOException e) {
          // the connection is gone already
        }
      }, "local-control-abort");
      aborter.setDaemon(true);
      aborter.start();
      LineReader in = new LineReader(c);
      String line;
      while ((line = in.readLine()) != null) {
        JsonNode msg = JournalJson.read(line);
        if (msg.has("event")) {
          onEvent.accept(JournalJson.event(msg.get("event")));
        } else if (msg.has("result")) {
          return new Answer(msg.get("result"), null, null);
        } else if (msg.has("error")) {
          return new Answer(null, msg.get("error").path("kind").asText(), msg.get("error").path("message").asText());
        }
      }
      throw new RestartException("the local stack closed the connection before answering (did stampede up stop?)");
    } catch (IOException e) {
      throw new RestartException("lost the connection to the local stack: " + e.getMessage(), e);
    }
  }

  private static ObjectNode wrap(String key, JsonNode value) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.set(key, value);
    return n;
  }

  private static ObjectNode error(String kind, String message) {
    ObjectNode e = JsonNodeFactory.instance.objectNode();
    e.put("kind", kind);
    e.put("message", message);
    return wrap("error", e);
  }

  private static void send(SocketChannel channel, JsonNode message) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap((JournalJson.writeLine(message) + "\n").getBytes(StandardCharsets.UTF_8));
    synchronized (channel) {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    }
  }

  /** Reads UTF-8 lines straight from a channel. Not thread-safe. */
  private static final class LineReader {
    private final SocketChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(8192);
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

    LineReader(SocketChannel channel) {
      this.channel = channel;
      buffer.flip();
    }

    String readLine() throws IOException {
      while (true) {
        while (buffer.hasRemaining()) {
          byte b = buffer.get();
          if (b == '\n') {
            String s = line.toString(StandardCharsets.UTF_8);
            line.reset();
            return s;
          }
          if (line.size() > MAX_LINE) {
            throw new IOException("line longer than " + MAX_LINE + " bytes");
          }
          line.write(b);
        }
        buffer.clear();
        int n = channel.read(buffer);
        buffer.flip();
        if (n < 0) {
          return null;
        }
      }
    }
  }
}
