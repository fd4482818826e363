package dev.stampede.admission.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LettuceJfrTest {
  private String before;

  @BeforeEach
  void remember() {
    before = System.getProperty(LettuceJfr.PROPERTY);
  }

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(LettuceJfr.PROPERTY);
    } else {
      System.setProperty(LettuceJfr.PROPERTY, before);
    }
  }

  @Test
  void turnsLettuceJfrOff_whenNothingAsked() {
    System.clearProperty(LettuceJfr.PROPERTY);

    LettuceJfr.offUnlessAsked();

    assertThat(System.getProperty(LettuceJfr.PROPERTY)).isEqualTo("false");
  }

  @Test
  void keepsAnExplicitChoice() {
    System.setProperty(LettuceJfr.PROPERTY, "true");

    LettuceJfr.offUnlessAsked();

    assertThat(System.getProperty(LettuceJfr.PROPERTY)).isEqualTo("true");
  }
}
