package dev.skirmish.gateway;

import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.model.CountryResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.net.InetAddress;
import java.util.Optional;

/**
 * The country (ISO 3166 code) of a player's address, from a MaxMind or DB-IP country database
 * ({@code GEOIP_DB}, an {@code .mmdb} file) read into memory at start, so a look-up never touches the
 * disk. Without a database every country is the empty string.
 */
final class CountryLookup {

  private static final Logger LOG = LoggerFactory.getLogger(CountryLookup.class);

  private final DatabaseReader reader;

  private CountryLookup(DatabaseReader reader) {
    this.reader = reader;
  }

  /** Opens the database at {@code path} (off the event loop); an empty path gives a lookup that knows no country. */
  static Future<CountryLookup> open(Vertx vertx, String path) {
    if (path == null || path.isBlank()) {
      return Future.succeededFuture(new CountryLookup(null));
    }
    return vertx.executeBlocking(() -> {
      File file = new File(path);
      DatabaseReader reader = new DatabaseReader.Builder(file).fileMode(com.maxmind.db.Reader.FileMode.MEMORY).build();
      LOG.info("Country database {} loaded ({})", path, reader.getMetadata().getDatabaseType());
      return new CountryLookup(reader);
    }).recover(err -> Future.failedFuture(new IllegalArgumentException(
      "GEOIP_DB: cannot read the country database " + path + ": " + err.getMessage(), err)));
  }

  /** The ISO code of the country of {@code ip} (a literal address), or "" when unknown. */
  String country(String ip) {
    if (reader == null || ip == null || ip.isEmpty()) {
      return "";
    }
    try {
      // A literal address: no name resolution happens here.
      Optional<CountryResponse> found = reader.tryCountry(InetAddress.getByName(ip));
      return found.map(r -> r.getCountry().getIsoCode()).filter(code -> code != null).orElse("");
    } catch (Exception e) {
      LOG.debug("No country for {}: {}", ip, e.getMessage());
      return "";
    }
  }
}
