package dev.stampede.chaos.timeline;

import dev.stampede.chaos.scrape.ServerSecond;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One second of a run: what the virtual clients did and saw, and what the servers reported.
 *
 * @param startS the start of the second, seconds after the run's origin
 * @param phase the runner's phase ({@code calibration}, {@code ramp}, {@code steady}, {@code storm})
 * @param online clients online (session and presence) at the end of the second
 * @param recoveredOnline clients online that count towards recovery (see {@code OnlineTracker})
 * @param rpcs per RPC kind
 * @param servers per service, from {@code /q/metrics} (empty when not scraped)
 */
public record TimelineSample(double startS, String phase, int online, int recoveredOnline, Map<Rpc, RpcSecond> rpcs,
    Map<String, ServerSecond> servers) {

  /** Copies the maps, keeping their order. */
  public TimelineSample {
    rpcs = rpcs.isEmpty() ? Map.of() : new EnumMap<>(rpcs);
    servers = new LinkedHashMap<>(servers);
  }

  /** One RPC kind (zeros when absent). */
  public RpcSecond rpc(Rpc rpc) {
    return rpcs.getOrDefault(rpc, RpcSecond.EMPTY);
  }

  /** Attempts of the auth RPCs (log-in + resume). */
  public long authAttempts() {
    return rpc(Rpc.LOGIN).attempts() + rpc(Rpc.RESUME).attempts();
  }

  /** Successes of the auth RPCs. */
  public long authSuccesses() {
    return rpc(Rpc.LOGIN).successes() + rpc(Rpc.RESUME).successes();
  }

  /** Rejections (pushback) of the auth RPCs. */
  public long authRejected() {
    return rpc(Rpc.LOGIN).rejected() + rpc(Rpc.RESUME).rejected();
  }

  /** Errors of the auth RPCs. */
  public long authErrors() {
    return rpc(Rpc.LOGIN).errors() + rpc(Rpc.RESUME).errors();
  }
}
