/**
 * The reboot storm: virtual clients as state machines on timers and async RPCs
 * ({@link dev.stampede.chaos.storm.VirtualClient}), with a {@link dev.stampede.chaos.storm.ClientProfile} each — the
 * SDK's defaults, or the 2007 clients ({@link dev.stampede.chaos.storm.Skype2007Client},
 * {@link dev.stampede.chaos.storm.Skype2007Schedule}).
 */
package dev.stampede.chaos.storm;
