package dev.stampede.admission.redis;

/**
 * Keeps Lettuce's Java Flight Recorder events off unless asked for. Lettuce 6 registers its JFR event types when its
 * first client resources are built, whenever {@code jdk.jfr} is present: that initialises the JVM's whole JFR
 * metadata repository, about 0.4 s of CPU in a service's start-up on 2 cores (measured as the difference with
 * {@code -Dio.lettuce.core.jfr=false}), time a restarted pod spends before it is ready, with no recording to
 * feed. An explicit {@code -Dio.lettuce.core.jfr=true} still turns them on.
 */
public final class LettuceJfr {
  /** Lettuce's switch (read once, by {@code io.lettuce.core.event.jfr.EventRecorderHolder}). */
  public static final String PROPERTY = "io.lettuce.core.jfr";

  private LettuceJfr() {
  }

  /** Sets {@value #PROPERTY} to {@code false} unless it is set; call before building Lettuce client resources. */
  public static void offUnlessAsked() {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, "false");
    }
  }
}
