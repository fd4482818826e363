package dev.stampede.client;

import dev.stampede.api.auth.v1.AuthServiceGrpc;
import dev.stampede.api.auth.v1.CreateAccountRequest;
import dev.stampede.api.auth.v1.CreateAccountResponse;
import dev.stampede.api.auth.v1.GetSessionRequest;
import dev.stampede.api.auth.v1.GetSessionResponse;
import dev.stampede.api.auth.v1.LoginRequest;
import dev.stampede.api.auth.v1.LoginResponse;
import dev.stampede.api.auth.v1.LogoutRequest;
import dev.stampede.api.auth.v1.LogoutResponse;
import dev.stampede.api.auth.v1.ResumeRequest;
import dev.stampede.api.auth.v1.ResumeResponse;
import dev.stampede.api.auth.v1.SeedAccountsRequest;
import dev.stampede.api.auth.v1.SeedAccountsResponse;
import io.grpc.Channel;
import java.util.concurrent.CompletableFuture;

/**
 * The RPCs of {@code stampede.auth.v1.AuthService} with the client's retry discipline. Each RPC has an async form
 * ({@code xxxAsync}, a {@link CompletableFuture} that completes on a gRPC or scheduler thread) and a blocking form.
 * Failures are {@link CallFailedException}s carrying the status codes auth.proto lists. Thread-safe.
 */
public final class AuthClient {
  private final StampedeClient client;
  private final Channel channel;

  AuthClient(StampedeClient client, Channel channel) {
    this.client = client;
    this.channel = channel;
  }

  public CompletableFuture<CreateAccountResponse> createAccountAsync(CreateAccountRequest request,
      CallSettings settings) {
    return client.call(Service.AUTH, channel, AuthServiceGrpc.getCreateAccountMethod(), request, settings);
  }

  public CreateAccountResponse createAccount(CreateAccountRequest request) {
    return Blocking.await(createAccountAsync(request, CallSettings.inherit()));
  }

  public CompletableFuture<LoginResponse> loginAsync(LoginRequest request, CallSettings settings) {
    return client.call(Service.AUTH, channel, AuthServiceGrpc.getLoginMethod(), request, settings);
  }

  public CompletableFuture<LoginResponse> loginAsync(LoginRequest request) {
    return loginAsync(request, CallSettings.inherit());
  }

  public LoginResponse login(LoginRequest request) {
    return Blocking.await(loginAsync(request));
  }

  public CompletableFuture<ResumeResponse> resumeAsync(ResumeRequest request, CallSettings settings) {
    return client.call(Service.AUTH, channel, AuthServiceGrpc.getResumeMethod(), request, settings);
  }

  public CompletableFuture<ResumeResponse> resumeAsync(ResumeRequest request) {
    return resumeAsync(request, CallSettings.inherit());
  }

  public ResumeResponse resume(ResumeRequest request) {
    return Blocking.await(resumeAsync(request));
  }

  public CompletableFuture<LogoutResponse> logoutAsync(LogoutRequest request, CallSettings settings) {
    return client.call(Service.AUTH, channel, AuthServiceGrpc.getLogoutMethod(), request, settings);
  }

  public LogoutResponse logout(LogoutRequest request) {
    return Blocking.await(logoutAsync(request, CallSettings.inherit()));
  }

  /** An admin call: set the service credential with {@link CallSettings#withServiceCredential}. */
  public CompletableFuture<GetSessionResponse> getSessionAsync(GetSessionRequest request, CallSettings settings) {
    return client.call(Service.AUTH, channel, AuthServiceGrpc.getGetSessionMethod(), request, settings);
  }

  public GetSessionResponse getSession(GetSessionRequest request, CallSettings settings) {
    return Blocking.await(getSessionAsync(request, settings));
  }

  /** An admin call: set the service credential with {@link CallSettings#withServiceCredential}. */
  public CompletableFuture<SeedAccountsResponse> seedAccountsAsync(SeedAccountsRequest request,
      CallSettings settings) {
    return client.call(Service.AUTH, channel, AuthServiceGrpc.getSeedAccountsMethod(), request, settings);
  }

  public SeedAccountsResponse seedAccounts(SeedAccountsRequest request, CallSettings settings) {
    return Blocking.await(seedAccountsAsync(request, settings));
  }
}
