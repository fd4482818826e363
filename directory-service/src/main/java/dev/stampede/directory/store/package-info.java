/**
 * Redis access of the directory: keys and channels, the compact lease codec, Lua scripts run with EVALSHA, the
 * binary facade over the shared connection and the pub/sub feed of presence changes.
 */
package dev.stampede.directory.store;
