package dev.skirmish.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a tiny IPv4 country database in the MaxMind DB format (the format of GeoIP2/GeoLite2 and DB-IP
 * {@code .mmdb} files): one network, {@code a.0.0.0/8}, mapped to {@code {"country": {"iso_code": CODE}}}.
 * Tests use it to check that the country of a player's address reaches the player document.
 */
final class CountryDatabaseFile {

  private static final int NODES = 8;

  private CountryDatabaseFile() {
  }

  /** Writes the database for {@code firstOctet}.0.0.0/8 → {@code isoCode} to {@code file}. */
  static Path write(Path file, int firstOctet, String isoCode) throws IOException {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    map(data, 1);
    string(data, "country");
    map(data, 1);
    string(data, "iso_code");
    string(data, isoCode);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // Search tree: one node per bit of the /8 prefix, 24-bit records. A record equal to the node count means
    // "no data"; one above it points into the data section (value - node count - 16).
    for (int node = 0; node < NODES; node++) {
      int bit = (firstOctet >> (7 - node)) & 1;
      int onPath = node == NODES - 1 ? NODES + 16 : node + 1;
      int left = bit == 0 ? onPath : NODES;
      int right = bit == 1 ? onPath : NODES;
      record24(out, left);
      record24(out, right);
    }
    out.write(new byte[16]);
    out.write(data.toByteArray());
    out.write(new byte[] {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF});
    out.write("MaxMind.com".getBytes(StandardCharsets.US_ASCII));
    map(out, 9);
    string(out, "binary_format_major_version");
    uint16(out, 2);
    string(out, "binary_format_minor_version");
    uint16(out, 0);
    string(out, "build_epoch");
    uint64(out, System.currentTimeMillis() / 1000);
    string(out, "database_type");
    string(out, "GeoLite2-Country");
    string(out, "description");
    map(out, 1);
    string(out, "en");
    string(out, "Test country database");
    string(out, "ip_version");
    uint16(out, 4);
    string(out, "languages");
    array(out, 1);
    string(out, "en");
    string(out, "node_count");
    uint32(out, NODES);
    string(out, "record_size");
    uint16(out, 24);
    Files.write(file, out.toByteArray());
    return file;
  }

  private static void record24(ByteArrayOutputStream out, int value) {
    out.write((value >> 16) & 0xFF);
    out.write((value >> 8) & 0xFF);
    out.write(value & 0xFF);
  }

  private static void map(ByteArrayOutputStream out, int entries) {
    out.write((7 << 5) | entries);
  }

  private static void string(ByteArrayOutputStream out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length >= 29) {
      out.write((2 << 5) | 29);
      out.write(bytes.length - 29);
    } else {
      out.write((2 << 5) | bytes.length);
    }
    out.writeBytes(bytes);
  }

  private static void uint16(ByteArrayOutputStream out, int value) {
    out.write((5 << 5) | 2);
    out.write((value >> 8) & 0xFF);
    out.write(value & 0xFF);
  }

  private static void uint32(ByteArrayOutputStream out, long value) {
    out.write((6 << 5) | 4);
    for (int shift = 24; shift >= 0; shift -= 8) {
      out.write((int) (value >> shift) & 0xFF);
    }
  }

  /** Extended type 9 (uint64): type bits 0, then the type number minus 7 in the next byte. */
  private static void uint64(ByteArrayOutputStream out, long value) {
    out.write(8);
    out.write(9 - 7);
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (value >> shift) & 0xFF);
    }
  }

  /** Extended type 11 (array). */
  private static void array(ByteArrayOutputStream out, int size) {
    out.write(size);
    out.write(11 - 7);
  }
}
