package dev.stampede.cli;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Turns SIGINT (Ctrl-C) and SIGTERM (a Job being deleted, {@code kill}) into an orderly stop instead of an
 * immediate JVM exit, so a command can finish what it is doing, write its output and choose its exit code.
 *
 * <p>{@link Main} installs the process's handlers once ({@link #install()}); a command says what a signal means
 * to it with {@link #onTermination}. The first signal calls that action with the signal's name ({@code INT} or
 * {@code TERM}); a second one exits at once with 128 + the signal number (shutdown hooks still stop child
 * processes). Uses the JDK's {@code sun.misc.Signal} (module {@code jdk.unsupported}) through reflection; where it
 * is missing, a shutdown hook runs the action and waits until the command is done, and the exit code is the JVM's.
 * Commands run in-process by tests install nothing, so a test JVM keeps its own signal behaviour.
 */
final class Signals {

  private static final AtomicInteger RECEIVED = new AtomicInteger();
  private static volatile Consumer<String> action = name -> System.exit(exitCode(name));
  private static volatile Runnable awaitDone = () -> { };

  private Signals() {}

  /** Says what the first signal means to the running command. */
  static void onTermination(Consumer<String> onSignal, Runnable waitUntilDone) {
    action = onSignal;
    awaitDone = waitUntilDone;
  }

  /** Installs the handlers for this process (called once, by {@link Main}). */
  static void install() {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Method handle = signal.getMethod("handle", signal, handler);
      Method getName = signal.getMethod("getName");
      Method getNumber = signal.getMethod("getNumber");
      Object proxy = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handler},
          (self, method, args) -> {
            switch (method.getName()) {
              case "handle" -> {
                if (RECEIVED.incrementAndGet() == 1) {
                  action.accept((String) getName.invoke(args[0]));
                } else {
                  System.exit(128 + (int) getNumber.invoke(args[0]));
                }
                return null;
              }
              case "hashCode" -> {
                return System.identityHashCode(self);
              }
              case "equals" -> {
                return self == args[0];
              }
              default -> {
                return "Signals.handler";
              }
            }
          });
      for (String name : new String[] {"INT", "TERM"}) {
        handle.invoke(null, signal.getConstructor(String.class).newInstance(name), proxy);
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        if (RECEIVED.incrementAndGet() == 1) {
          action.accept("TERM");
          awaitDone.run();
        }
      }, "stampede-signal-fallback"));
    }
  }

  /** The conventional exit code after a signal: 130 for INT, 143 for TERM. */
  static int exitCode(String signal) {
    return "INT".equals(signal) ? 130 : 143;
  }
}
