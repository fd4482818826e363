package dev.stampede.auth.domain;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Makes HotSpot compile Bouncy Castle's Argon2 block function into one piece, whatever order its JIT gets to it in.
 *
 * <p>Why: with tiered compilation, a JVM that happens to compile {@code Argon2BytesGenerator.roundFunction} on its
 * own before its caller {@code FillBlock.applyBlake} never inlines it afterwards ("already compiled into a medium
 * method"), and that stand-alone copy calls its helpers out of line ("too big"). The hash then costs twice the CPU for
 * the life of the process. Measured on a 2-core box: a bare two-thread Argon2id loop (19 MiB, t = 2)
 * ran at 16–21 hashes/s in 5 of 11 JVM starts and at 33–48/s in the others, and auth pods logged in ~16/s or ~30/s
 * the same way; with the block function force-inlined, 12 of 12 starts ran at 29–49/s. Only the round function is
 * forced: with Bouncy Castle 1.87 also forcing its helper {@code G} inline made the bare hash slower (28–41 ms of CPU
 * against 24–29 ms, three starts each).
 *
 * <p>The fix is a compiler directive added at run time through the {@code DiagnosticCommand} MBean (the in-process
 * form of {@code jcmd PID Compiler.directives_add}), so it holds wherever the service runs — local processes,
 * containers, tests — without a JVM flag in every launcher. It must be installed before the hash loop gets hot:
 * {@link PasswordHasher} installs it when constructed. On a JVM without that MBean (not HotSpot) nothing changes
 * and {@link #install()} says why.
 *
 * <p>Thread-safe; installs at most once per JVM (it looks at the directives in force first).
 */
public final class Argon2Inlining {
  private static final String GENERATOR = "org/bouncycastle/crypto/generators/Argon2BytesGenerator";
  /** The directive (HotSpot's JSON dialect): in the generator's methods, always inline the block function. */
  static final String DIRECTIVE = "[{match: \"" + GENERATOR + "*.*\", inline: [\"+" + GENERATOR
      + ".roundFunction\"]}]";
  private static final String MBEAN = "com.sun.management:type=DiagnosticCommand";

  private static Result result;

  /**
   * What {@link #install()} did.
   *
   * @param installed whether the directive is in force
   * @param detail what the JVM answered, or why it could not be asked
   */
  public record Result(boolean installed, String detail) {
  }

  private Argon2Inlining() {
  }

  /** Adds the directive unless an earlier call did; returns what the first call did. Never throws. */
  public static synchronized Result install() {
    if (result == null) {
      result = add();
    }
    return result;
  }

  /** The JVM's current directive stack, as {@code jcmd PID Compiler.directives_print} shows it. */
  static String printDirectives() throws JMException {
    return String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName(MBEAN),
        "compilerDirectivesPrint", new Object[] {null}, new String[] {String[].class.getName()}));
  }

  private static Result add() {
    Path file = null;
    try {
      // Once per JVM, not per class loader (a test JVM may load this class more than once).
      if (printDirectives().contains("+" + GENERATOR + ".roundFunction")) {
        return new Result(true, "already in force");
      }
      // The diagnostic command reads directives from a file only.
      file = Files.createTempFile("stampede-argon2-inlining", ".json");
      Files.writeString(file, DIRECTIVE);
      String answer = String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName(MBEAN),
          "compilerDirectivesAdd", new Object[] {new String[] {file.toString()}},
          new String[] {String[].class.getName()})).strip();
      return new Result(answer.startsWith("1 compiler directives added"), answer);
    } catch (IOException | JMException | RuntimeException e) {
      return new Result(false, e.toString());
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // A leftover temporary file of a few hundred bytes; nothing to do.
        }
      }
    }
  }
}
