package dev.skirmish.common;

import com.github.f4b6a3.ulid.Ulid;
import com.github.f4b6a3.ulid.UlidCreator;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** ULID identifiers: accounts, CL Omega session tokens, games, connections and nodes. */
public final class Ids {

  private static final Pattern ULID = Pattern.compile("^[0-7][0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{25}$");

  private static final SecureRandom SECRETS = new SecureRandom();

  private Ids() {
  }

  /**
   * A secret in the shape of a ULID: 128 bits from a {@link SecureRandom}, written in Crockford base32 (26
   * characters), so clients that validate the shape of a CL Omega session token still accept it. Unlike
   * {@link #ulid()}, it carries no time and no sequence: one value says nothing about any other.
   */
  public static String secretUlid() {
    byte[] bytes = new byte[16];
    SECRETS.nextBytes(bytes);
    return Ulid.from(bytes).toString();
  }

  /** A new monotonic ULID string. */
  public static String ulid() {
    return UlidCreator.getMonotonicUlid().toString();
  }

  /** Whether {@code s} is a ULID in Crockford base32 (case-insensitive), as CL Omega validates them. */
  public static boolean isUlid(Object s) {
    return s instanceof String str && ULID.matcher(str).matches();
  }

  /** The canonical (upper-case) form of a valid ULID. */
  public static String canonical(String ulid) {
    return Ulid.from(ulid).toString();
  }
}
