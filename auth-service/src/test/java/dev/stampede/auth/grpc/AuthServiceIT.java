package dev.stampede.auth.grpc;

import static dev.stampede.auth.grpc.AuthClient.reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stampede.api.auth.v1.AuthServiceGrpc;
import dev.stampede.api.auth.v1.CreateAccountRequest;
import dev.stampede.api.auth.v1.GetSessionRequest;
import dev.stampede.api.auth.v1.GetSessionResponse;
import dev.stampede.api.auth.v1.LoginRequest;
import dev.stampede.api.auth.v1.LogoutRequest;
import dev.stampede.api.auth.v1.ResumeRequest;
import dev.stampede.api.auth.v1.SeedAccountsRequest;
import dev.stampede.api.auth.v1.SeedAccountsResponse;
import dev.stampede.api.auth.v1.SessionGrant;
import dev.stampede.tokens.InvalidSessionTokenException;
import dev.stampede.tokens.KeyRing;
import dev.stampede.tokens.SessionClaims;
import dev.stampede.tokens.SessionTokenMinter;
import dev.stampede.tokens.SessionTokenVerifier;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(AuthTestProfile.class)
class AuthServiceIT {
  private AuthClient client;

  @BeforeEach
  void connect() {
    client = new AuthClient();
  }

  @AfterEach
  void disconnect() {
    client.close();
  }

  private static String config(String key) {
    return ConfigProvider.getConfig().getValue(key, String.class);
  }

  private static SessionTokenVerifier verifier(String audience) {
    return SessionTokenVerifier.builder().keyRing(KeyRing.parse(audience, config("stampede.token.keys." + audience)))
        .build();
  }

  private static String unique(String prefix) {
    return prefix + UUID.randomUUID().toString().substring(0, 8);
  }

  private String signUp(String name) {
    return client.stub().createAccount(CreateAccountRequest.newBuilder().setUsername(name)
        .setPassword("correct horse battery").build()).getUserId();
  }

  private SessionGrant login(String name, String device) {
    return client.stub().login(LoginRequest.newBuilder().setUsername(name).setPassword("correct horse battery")
        .setDeviceId(device).build()).getGrant();
  }

  private SessionGrant resume(String ticket, String device) {
    return client.stub().resume(ResumeRequest.newBuilder().setResumeTicket(ticket).setDeviceId(device).build())
        .getGrant();
  }

  private GetSessionResponse session(String token) {
    return client.admin(config("stampede.auth.admin.credential"))
        .getSession(GetSessionRequest.newBuilder().setSessionToken(token).build());
  }

  private static StatusRuntimeException failure(Runnable call) {
    return catchThrowableOfType(StatusRuntimeException.class, call::run);
  }

  @Test
  void createLoginResume_oldTicketRevokesFamily_logout() throws Exception {
    String name = unique("Alice-");
    String userId = signUp(name);
    SessionGrant first = login(name.toUpperCase(), "laptop-1");
    assertThat(first.getUserId()).isEqualTo(userId);
    assertThat(first.getSessionExpiresAt().getSeconds()).isGreaterThan(Instant.now().getEpochSecond());
    assertThat(verifier("directory").verify(first.getSessionToken()).userId()).isEqualTo(userId);
    assertThat(verifier("relay").verify(first.getSessionToken()).deviceId()).isEqualTo("laptop-1");

    SessionGrant second = resume(first.getResumeTicket(), "laptop-1");
    assertThat(second.getSessionId()).isEqualTo(first.getSessionId());
    assertThat(second.getResumeTicket()).isNotEqualTo(first.getResumeTicket());
    assertThat(session(second.getSessionToken()).getActive()).isTrue();

    StatusRuntimeException reuse = failure(() -> resume(first.getResumeTicket(), "laptop-1"));
    assertThat(reuse.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(reason(reuse)).isEqualTo("TICKET_INVALID");
    // The family is gone: the newest ticket and its session token too.
    assertThat(reason(failure(() -> resume(second.getResumeTicket(), "laptop-1")))).isEqualTo("TICKET_INVALID");
    assertThat(session(second.getSessionToken()).getActive()).isFalse();

    SessionGrant third = login(name, "laptop-1");
    GetSessionResponse active = session(third.getSessionToken());
    assertThat(active.getActive()).isTrue();
    assertThat(active.getUserId()).isEqualTo(userId);
    assertThat(active.getSessionId()).isEqualTo(third.getSessionId());
    assertThat(active.getAudiencesList()).containsExactly("auth", "directory", "relay");
    client.stub().logout(LogoutRequest.newBuilder().setSessionToken(third.getSessionToken()).build());
    client.stub().logout(LogoutRequest.newBuilder().setSessionToken(third.getSessionToken()).build());
    assertThat(session(third.getSessionToken()).getActive()).isFalse();
    assertThat(reason(failure(() -> resume(third.getResumeTicket(), "laptop-1")))).isEqualTo("TICKET_INVALID");
  }

  @Test
  void wrongPassword_andUnknownUser_getTheSameAnswer() {
    String name = unique("bob-");
    signUp(name);
    StatusRuntimeException wrong = failure(() -> client.stub().login(LoginRequest.newBuilder().setUsername(name)
        .setPassword("wrong password").setDeviceId("d").build()));
    StatusRuntimeException unknown = failure(() -> client.stub().login(LoginRequest.newBuilder()
        .setUsername(unique("nobody-")).setPassword("wrong password").setDeviceId("d").build()));

    assertThat(wrong.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(wrong.getStatus().getDescription()).isEqualTo(unknown.getStatus().getDescription());
    assertThat(reason(wrong)).isEqualTo("BAD_CREDENTIALS").isEqualTo(reason(unknown));
  }

  @Test
  void duplicateName_isAlreadyExists() {
    String name = unique("carol-");
    signUp(name);

    assertThat(failure(() -> signUp(name.toUpperCase())).getStatus().getCode())
        .isEqualTo(Status.Code.ALREADY_EXISTS);
  }

  @Test
  void inputsOutsideTheirLimits_areInvalidArgument_namingTheField() {
    AuthServiceGrpc.AuthServiceBlockingStub stub = client.stub();
    StatusRuntimeException longPassword = failure(() -> stub.createAccount(CreateAccountRequest.newBuilder()
        .setUsername(unique("dave-")).setPassword("p".repeat(1025)).build()));
    StatusRuntimeException longName = failure(() -> stub.createAccount(CreateAccountRequest.newBuilder()
        .setUsername("n".repeat(65)).setPassword("long enough").build()));
    StatusRuntimeException noDevice = failure(() -> stub.login(LoginRequest.newBuilder()
        .setUsername("someone").setPassword("x").setDeviceId("").build()));
    StatusRuntimeException noTicket = failure(() -> stub.resume(ResumeRequest.newBuilder().setDeviceId("d").build()));
    StatusRuntimeException shortKey = failure(() -> stub.resume(ResumeRequest.newBuilder().setDeviceId("d")
        .setResumeTicket("t").setIdempotencyKey("too-short").build()));
    StatusRuntimeException spacedKey = failure(() -> stub.resume(ResumeRequest.newBuilder().setDeviceId("d")
        .setResumeTicket("t").setIdempotencyKey("has a space in it somewhere").build()));

    assertThat(longPassword.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(longPassword.getStatus().getDescription()).startsWith("password: 1025 bytes");
    assertThat(longName.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(longName.getStatus().getDescription()).startsWith("username: 65 bytes");
    assertThat(noDevice.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(noDevice.getStatus().getDescription()).startsWith("device_id: empty");
    assertThat(noTicket.getStatus().getDescription()).startsWith("resume_ticket: 0 bytes");
    assertThat(shortKey.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(shortKey.getStatus().getDescription()).startsWith("idempotency_key: 9 bytes");
    assertThat(spacedKey.getStatus().getDescription()).startsWith("idempotency_key: not printable ASCII");
  }

  @Test
  void invalidUtf8_andGarbageBytes_areRefused_andTheServerKeepsServing() {
    // LoginRequest{username = 0xC3 0x28 (invalid UTF-8), password = "x", device_id = "d"}
    byte[] invalidUtf8 = {0x0A, 0x02, (byte) 0xC3, 0x28, 0x12, 0x01, 'x', 0x1A, 0x01, 'd'};
    StatusRuntimeException utf8 = failure(() -> client.raw(AuthServiceGrpc.getLoginMethod(), invalidUtf8));
    assertThat(utf8.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);

    Random random = new Random(4);
    for (int i = 0; i < 20; i++) {
      byte[] garbage = new byte[1 + random.nextInt(200)];
      random.nextBytes(garbage);
      garbage[0] = (byte) 0xFF; // never a valid first tag
      StatusRuntimeException e = failure(() -> client.raw(AuthServiceGrpc.getCreateAccountMethod(), garbage));
      assertThat(e.getStatus().getCode()).as("garbage %d", i).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }
    byte[] huge = new byte[70 * 1024];
    StatusRuntimeException tooBig = failure(() -> client.raw(AuthServiceGrpc.getLoginMethod(), huge));
    assertThat(tooBig.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

    String name = unique("erin-");
    assertThat(signUp(name)).isNotEmpty();
  }

  @Test
  void tokenForDirectory_isRejectedByRelay_andTamperedTokensFail() throws Exception {
    SessionGrant g;
    String name = unique("frank-");
    signUp(name);
    g = login(name, "phone");
    KeyRing directory = KeyRing.parse("directory", config("stampede.token.keys.directory"));
    KeyRing auth = KeyRing.parse("auth", config("stampede.token.keys.auth"));
    SessionClaims claims = verifier("directory").verify(g.getSessionToken()).claims();
    String directoryOnly = SessionTokenMinter.of(List.of(auth, directory)).mint(claims, Set.of("directory"));

    assertThat(verifier("directory").verify(directoryOnly).userId()).isEqualTo(g.getUserId());
    assertThatThrownBy(() -> verifier("relay").verify(directoryOnly))
        .isInstanceOf(InvalidSessionTokenException.class)
        .extracting(e -> ((InvalidSessionTokenException) e).reason())
        .isEqualTo(InvalidSessionTokenException.Reason.WRONG_AUDIENCE);

    String token = g.getSessionToken();
    int i = token.indexOf('.', 3) - 5;
    String tampered = token.substring(0, i) + (token.charAt(i) == 'A' ? 'B' : 'A') + token.substring(i + 1);
    assertThatThrownBy(() -> verifier("relay").verify(tampered)).isInstanceOf(InvalidSessionTokenException.class);
    assertThat(session(tampered).getActive()).isFalse();
    StatusRuntimeException logout = failure(() -> client.stub().logout(
        LogoutRequest.newBuilder().setSessionToken(tampered).build()));
    assertThat(logout.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(reason(logout)).isEqualTo("SESSION_INVALID");
  }

  @Test
  void keyRotation_tokensOfTheOlderAuthKey_stayValid() throws Exception {
    String name = unique("grace-");
    signUp(name);
    SessionGrant g = login(name, "tablet");
    assertThat(verifier("auth").verify(g.getSessionToken()).keyId()).isEqualTo("a2");
    // A token signed before the rotation, with the older key a1 that the ring still holds.
    KeyRing oldAuth = KeyRing.parse("auth", config("stampede.token.keys.auth").split(",")[1]);
    SessionClaims claims = verifier("auth").verify(g.getSessionToken()).claims();
    String beforeRotation = SessionTokenMinter.of(List.of(oldAuth)).mint(claims);

    GetSessionResponse answer = session(beforeRotation);
    assertThat(answer.getActive()).isTrue();
    assertThat(answer.getAudiencesList()).containsExactly("auth");
    client.stub().logout(LogoutRequest.newBuilder().setSessionToken(beforeRotation).build());
    assertThat(session(g.getSessionToken()).getActive()).isFalse();
  }

  @Test
  void adminCalls_needTheServiceCredential() {
    GetSessionRequest request = GetSessionRequest.newBuilder().setSessionToken("s1.x").build();

    assertThat(failure(() -> client.stub().getSession(request)).getStatus().getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(failure(() -> client.admin("not-the-credential-at-all").getSession(request)).getStatus().getCode())
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(session("s1.x").getActive()).isFalse();
    assertThat(failure(() -> client.admin(config("stampede.auth.admin.credential"))
        .getSession(GetSessionRequest.getDefaultInstance())).getStatus().getCode())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void seedAccounts_createsInBulk_withOneHash() {
    String prefix = unique("seed");
    SeedAccountsRequest request = SeedAccountsRequest.newBuilder().setUsernamePrefix(prefix).setFirstIndex(10)
        .setCount(300).setPassword("seeded password").build();

    SeedAccountsResponse first = client.admin(config("stampede.auth.admin.credential")).seedAccounts(request);
    SeedAccountsResponse again = client.admin(config("stampede.auth.admin.credential")).seedAccounts(request);

    assertThat(first.getCreated()).isEqualTo(300);
    assertThat(again.getExisting()).isEqualTo(300);
    assertThat(again.getUserIdsList()).isEqualTo(first.getUserIdsList()).hasSize(300);
    SessionGrant g = client.stub().login(LoginRequest.newBuilder().setUsername(prefix + 309)
        .setPassword("seeded password").setDeviceId("bot").build()).getGrant();
    assertThat(g.getUserId()).isEqualTo(first.getUserIds(299));
    assertThat(failure(() -> client.admin(config("stampede.auth.admin.credential")).seedAccounts(
        request.toBuilder().setCount(10_001).build())).getStatus().getDescription()).startsWith("count: 10001");
    assertThat(failure(() -> client.admin(config("stampede.auth.admin.credential")).seedAccounts(
        request.toBuilder().setFirstIndex(-1).build())).getStatus().getDescription()).startsWith("first_index");
    assertThat(failure(() -> client.stub().seedAccounts(request)).getStatus().getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void secrets_neverAppearInAnswers() {
    String password = "hunter2-" + UUID.randomUUID();
    StatusRuntimeException e = failure(() -> client.stub().login(LoginRequest.newBuilder()
        .setUsername(unique("heidi-")).setPassword(password).setDeviceId("d").build()));

    assertThat(String.valueOf(e.getStatus().getDescription())).doesNotContain(password);
    assertThat(new String(e.getTrailers().toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
        .doesNotContain(password);
  }
}
