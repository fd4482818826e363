package dev.stampede.auth.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class Argon2InliningTest {

  @Test
  void constructingAHasher_putsTheBlockFunctionDirectiveInForce() throws Exception {
    new PasswordHasher(new Argon2Params(64, 1, 1), new SecureRandom());

    Argon2Inlining.Result result = Argon2Inlining.install();
    assertThat(result.installed()).as(result.detail()).isTrue();
    String stack = Argon2Inlining.printDirectives();
    assertThat(stack).contains("matching: org/bouncycastle/crypto/generators/Argon2BytesGenerator*.*")
        .contains("+org/bouncycastle/crypto/generators/Argon2BytesGenerator.roundFunction")
        .contains("+org/bouncycastle/crypto/generators/Argon2BytesGenerator.quarterRound")
        .contains("+org/bouncycastle/crypto/generators/Argon2BytesGenerator.F");
  }

  @Test
  void install_addsTheDirectiveOnce() throws Exception {
    Argon2Inlining.install();
    Argon2Inlining.install();

    String stack = Argon2Inlining.printDirectives();
    assertThat(stack.split("Argon2BytesGenerator\\*\\.\\*", -1)).hasSize(2);
  }
}
