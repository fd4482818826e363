package dev.stampede.directory.grpc;

import com.google.protobuf.Timestamp;
import dev.stampede.api.directory.v1.DevicePresence;
import dev.stampede.api.directory.v1.Endpoint;
import dev.stampede.api.directory.v1.EndpointKind;
import dev.stampede.api.directory.v1.NatType;
import dev.stampede.api.directory.v1.Presence;
import dev.stampede.api.directory.v1.RelayAdvice;
import dev.stampede.api.directory.v1.RelayHint;
import dev.stampede.directory.domain.DeviceLease;
import dev.stampede.directory.domain.Inputs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Maps between the protos of {@code stampede.directory.v1} and the domain. Stateless. */
final class ProtoMapping {
  private ProtoMapping() {
  }

  /** The request's endpoints, checked against the contract's limits. */
  static List<dev.stampede.directory.domain.Endpoint> endpoints(List<Endpoint> endpoints) {
    Inputs.endpointCount(endpoints.size());
    List<dev.stampede.directory.domain.Endpoint> result = new ArrayList<>(endpoints.size());
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoint e = endpoints.get(i);
      result.add(Inputs.endpoint(i, e.getHost(), e.getPort(), e.getKindValue()));
    }
    return result;
  }

  static Presence presence(dev.stampede.directory.domain.Presence presence) {
    Presence.Builder b = Presence.newBuilder().setUserId(presence.userId()).setOnline(presence.online());
    for (DeviceLease d : presence.devices()) {
      DevicePresence.Builder device = DevicePresence.newBuilder()
          .setDeviceId(d.deviceId())
          .setNatType(NatType.forNumber(d.natType().ordinal()))
          .setExpiresAt(timestamp(d.expiresAtMillis()));
      for (dev.stampede.directory.domain.Endpoint e : d.endpoints()) {
        device.addEndpoints(Endpoint.newBuilder()
            .setHost(e.host())
            .setPort(e.port())
            .setKind(EndpointKind.forNumber(e.kind().ordinal())));
      }
      b.addDevices(device);
    }
    return b.build();
  }

  static RelayHint relayHint(dev.stampede.directory.domain.Presence presence, String relayTarget) {
    return RelayHint.newBuilder()
        .setAdvice(RelayAdvice.forNumber(presence.relayAdvice().ordinal()))
        .setRelayTarget(relayTarget)
        .build();
  }

  static Timestamp timestamp(long epochMillis) {
    return Timestamp.newBuilder()
        .setSeconds(Math.floorDiv(epochMillis, 1000))
        .setNanos((int) Math.floorMod(epochMillis, 1000) * 1_000_000)
        .build();
  }

  static com.google.protobuf.Duration duration(Duration d) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }
}
