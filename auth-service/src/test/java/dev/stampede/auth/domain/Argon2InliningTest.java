package dev.stampede.auth.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.junit.jupiter.api.Test;

class Argon2InliningTest {

  @Test
  void constructingAHasher_putsTheBlockFunctionDirectiveInForce() throws Exception {
    new PasswordHasher(new Argon2Params(64, 1, 1), new SecureRandom());

    Argon2Inlining.Result result = Argon2Inlining.install();
    assertThat(result.installed()).as(result.detail()).isTrue();
    String stack = Argon2Inlining.printDirectives();
    assertThat(stack).contains("matching: org/bouncycastle/crypto/generators/Argon2BytesGenerator*.*")
        .contains("+org/bouncycastle/crypto/generators/Argon2BytesGenerator.roundFunction");
  }

  @Test
  void everyInlinedMethod_existsInTheBouncyCastleOnTheClassPath() {
    // A Bouncy Castle upgrade that renames the block function's methods would silently void the directive.
    Set<String> methods = Arrays.stream(Argon2BytesGenerator.class.getDeclaredMethods()).map(Method::getName)
        .collect(Collectors.toSet());
    Matcher inlined = Pattern.compile("\\+[\\w/]+Argon2BytesGenerator\\.(\\w+)").matcher(Argon2Inlining.DIRECTIVE);
    List<String> names = new ArrayList<>();
    while (inlined.find()) {
      names.add(inlined.group(1));
    }

    assertThat(names).containsExactly("roundFunction");
    assertThat(methods).containsAll(names);
  }

  @Test
  void install_addsTheDirectiveOnce() throws Exception {
    Argon2Inlining.install();
    Argon2Inlining.install();

    String stack = Argon2Inlining.printDirectives();
    assertThat(stack.split("Argon2BytesGenerator\\*\\.\\*", -1)).hasSize(2);
  }
}
