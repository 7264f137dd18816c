package dev.skirmish.deploy.ops;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finds the deploy module's files (from the module directory, as Maven runs tests, or from the repository root)
 * and reads YAML documents as plain maps and lists, with YAML merge keys ({@code <<: *anchor}) resolved.
 */
final class DeployFiles {

  private DeployFiles() {
  }

  /** The deploy module directory. */
  static Path deployDir() {
    return Stream.of(Path.of(""), Path.of("deploy"))
      .map(Path::toAbsolutePath)
      .filter(p -> Files.isRegularFile(p.resolve("docker-compose.yml")) && Files.isDirectory(p.resolve("k8s")))
      .findFirst()
      .orElseThrow(() -> new AssertionError("deploy/docker-compose.yml not found from " + Path.of("").toAbsolutePath()));
  }

  /** Every YAML document of {@code file}, empty documents left out. */
  static List<Map<String, Object>> documents(Path file) {
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    List<Map<String, Object>> out = new ArrayList<>();
    try (Reader in = Files.newBufferedReader(file)) {
      for (Object doc : yaml.loadAll(in)) {
        if (doc == null) {
          continue;
        }
        if (!(doc instanceof Map)) {
          throw new AssertionError(file + ": a YAML document that is not a mapping: " + doc);
        }
        out.add(Tree.map(doc));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The one YAML document of {@code file}. */
  static Map<String, Object> document(Path file) {
    List<Map<String, Object>> docs = documents(file);
    if (docs.size() != 1) {
      throw new AssertionError(file + ": expected one YAML document, found " + docs.size());
    }
    return docs.get(0);
  }
}
