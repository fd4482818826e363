package dev.stampede.directory.store;

import com.google.common.net.InetAddresses;
import dev.stampede.directory.domain.DeviceLease;
import dev.stampede.directory.domain.Endpoint;
import dev.stampede.directory.domain.EndpointKind;
import dev.stampede.directory.domain.NatType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of one device's lease: a compact binary value in the user's presence hash (field = device id).
 *
 * <pre>
 *   offset  size  field
 *   0       1     version (1)
 *   1       8     nonce                   (Lua: string.sub(v, 2, 9))
 *   9       6     expires-at, epoch ms    (Lua: bytes 10..15, big-endian)
 *   15      1     NAT type (ordinal)
 *   16      1     endpoint count
 *   then per endpoint:
 *           1     bits 0-1 kind, bits 2-3 form: 0 = IPv4 (4 bytes), 1 = IPv6 (16 bytes), 2 = name (u8 length + ASCII)
 *           4|16|1+n  address
 *           2     port
 * </pre>
 *
 * <p>Why binary: a device with two IPv4 endpoints takes 31 bytes, so a user's hash stays in Redis' small encoding
 * (listpack/ziplist, values ≤ 64 bytes by default) and a present device costs ≈ 215 bytes of Redis memory in total;
 * text or one key per field would cost 40–150 % more (see the module README for measurements). The Lua scripts read
 * and rewrite only the nonce and expiry; the rest is opaque to them.
 *
 * <p>Stateless and thread-safe.
 */
public final class DeviceLeaseCodec {
  /** The current version byte. */
  public static final byte VERSION = 1;
  /** Offset of the nonce. */
  public static final int NONCE_OFFSET = 1;
  /** Offset of the expiry. */
  public static final int EXPIRY_OFFSET = 9;
  private static final int HEADER = 17;
  private static final int FORM_IPV4 = 0;
  private static final int FORM_IPV6 = 1;
  private static final int FORM_NAME = 2;

  private DeviceLeaseCodec() {
  }

  /** Encodes a lease. */
  public static byte[] encode(DeviceLease lease) {
    int size = HEADER;
    List<Endpoint> endpoints = lease.endpoints();
    byte[][] addresses = new byte[endpoints.size()][];
    int[] forms = new int[endpoints.size()];
    for (int i = 0; i < endpoints.size(); i++) {
      String host = endpoints.get(i).host();
      if (host.indexOf('%') < 0 && InetAddresses.isInetAddress(host)) {
        addresses[i] = InetAddresses.forString(host).getAddress();
        forms[i] = addresses[i].length == 4 ? FORM_IPV4 : FORM_IPV6;
        size += 1 + addresses[i].length + 2;
      } else {
        addresses[i] = host.getBytes(StandardCharsets.US_ASCII);
        forms[i] = FORM_NAME;
        size += 2 + addresses[i].length + 2;
      }
    }
    ByteBuffer buf = ByteBuffer.allocate(size)
        .put(VERSION)
        .putLong(lease.nonce())
        .put(expiry(lease.expiresAtMillis()))
        .put((byte) lease.natType().ordinal())
        .put((byte) endpoints.size());
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoint e = endpoints.get(i);
      buf.put((byte) (e.kind().ordinal() | forms[i] << 2));
      if (forms[i] == FORM_NAME) {
        buf.put((byte) addresses[i].length);
      }
      buf.put(addresses[i]).putShort((short) e.port());
    }
    return buf.array();
  }

  /**
   * Decodes a stored lease.
   *
   * @throws IllegalArgumentException if {@code value} is not a lease of a known version
   */
  public static DeviceLease decode(String deviceId, byte[] value) {
    try {
      ByteBuffer buf = ByteBuffer.wrap(value);
      if (buf.get() != VERSION) {
        throw new IllegalArgumentException("device lease: unknown version " + value[0]);
      }
      long nonce = buf.getLong();
      long expiresAt = 0;
      for (int i = 0; i < 6; i++) {
        expiresAt = expiresAt << 8 | (buf.get() & 0xFF);
      }
      NatType nat = NatType.ofOrdinal(buf.get() & 0xFF);
      int count = buf.get() & 0xFF;
      List<Endpoint> endpoints = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int header = buf.get() & 0xFF;
        EndpointKind kind = EndpointKind.ofOrdinal(header & 3);
        int form = header >>> 2 & 3;
        String host;
        if (form == FORM_NAME) {
          byte[] name = new byte[buf.get() & 0xFF];
          buf.get(name);
          host = new String(name, StandardCharsets.US_ASCII);
        } else {
          byte[] address = new byte[form == FORM_IPV4 ? 4 : 16];
          buf.get(address);
          host = InetAddresses.toAddrString(InetAddress.getByAddress(address));
        }
        endpoints.add(new Endpoint(host, buf.getShort() & 0xFFFF, kind));
      }
      if (buf.hasRemaining()) {
        throw new IllegalArgumentException("device lease: " + buf.remaining() + " trailing bytes");
      }
      return new DeviceLease(deviceId, nonce, expiresAt, nat, endpoints);
    } catch (BufferUnderflowException | UnknownHostException e) {
      throw new IllegalArgumentException("device lease: truncated", e);
    }
  }

  /** Reads only the expiry of a stored lease (epoch ms). */
  public static long expiryOf(byte[] value) {
    long expiresAt = 0;
    for (int i = EXPIRY_OFFSET; i < EXPIRY_OFFSET + 6; i++) {
      expiresAt = expiresAt << 8 | (value[i] & 0xFF);
    }
    return expiresAt;
  }

  /** The nonce as the 8 bytes the scripts compare. */
  public static byte[] nonceBytes(long nonce) {
    return ByteBuffer.allocate(Long.BYTES).putLong(nonce).array();
  }

  private static byte[] expiry(long millis) {
    if (millis < 0 || millis >= 1L << 48) {
      throw new IllegalArgumentException("expiresAtMillis: " + millis + " (expected: 0..2^48)");
    }
    byte[] b = new byte[6];
    for (int i = 5; i >= 0; i--) {
      b[i] = (byte) millis;
      millis >>>= 8;
    }
    return b;
  }
}
