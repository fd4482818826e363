package dev.stampede.chaos.storm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.api.auth.v1.AuthServiceGrpc;
import dev.stampede.api.directory.v1.DirectoryServiceGrpc;
import dev.stampede.chaos.timeline.Rpc;
import org.junit.jupiter.api.Test;

class RecordingInterceptorTest {
  @Test
  void theStormsRpcs_areCounted_andAdminAndOtherCallsAreNot() {
    assertThat(RecordingInterceptor.rpcOf(AuthServiceGrpc.getLoginMethod())).isEqualTo(Rpc.LOGIN);
    assertThat(RecordingInterceptor.rpcOf(AuthServiceGrpc.getResumeMethod())).isEqualTo(Rpc.RESUME);
    assertThat(RecordingInterceptor.rpcOf(DirectoryServiceGrpc.getRegisterMethod())).isEqualTo(Rpc.REGISTER);
    assertThat(RecordingInterceptor.rpcOf(DirectoryServiceGrpc.getHeartbeatMethod())).isEqualTo(Rpc.HEARTBEAT);
    assertThat(RecordingInterceptor.rpcOf(AuthServiceGrpc.getSeedAccountsMethod())).isNull();
    assertThat(RecordingInterceptor.rpcOf(AuthServiceGrpc.getLogoutMethod())).isNull();
    assertThat(RecordingInterceptor.rpcOf(DirectoryServiceGrpc.getUnregisterMethod())).isNull();
  }
}
