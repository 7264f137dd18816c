package dev.skirmish.deploy.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a kustomization directory as far as Skirmish's manifests use kustomize: resources (files and nested
 * kustomizations), namespace, labels, images, ConfigMap and Secret generators (create or merge; an env file
 * that is not committed is read from its {@code .example}) and strategic-merge patches by kind and name (lists
 * of named items merge by name). No name-hash suffixes. A key it does not know fails the render, so that
 * a kustomization using more than this is not checked half-way.
 */
final class Kustomize {

  private static final Set<String> KNOWN = Set.of("apiVersion", "kind", "resources", "namespace", "labels", "images",
    "configMapGenerator", "secretGenerator", "patches");

  private Kustomize() {
  }

  /** The resources {@code dir}'s kustomization.yaml produces. */
  static List<Map<String, Object>> render(Path dir) {
    Path file = dir.resolve("kustomization.yaml");
    Map<String, Object> k = DeployFiles.document(file);
    for (String key : k.keySet()) {
      if (!KNOWN.contains(key)) {
        throw new AssertionError(file + ": the test's renderer does not know '" + key + "'");
      }
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object entry : Tree.listAt(k, "resources")) {
      Path p = dir.resolve(String.valueOf(entry)).normalize();
      if (Files.isDirectory(p)) {
        out.addAll(render(p));
      } else if (Files.isRegularFile(p)) {
        out.addAll(DeployFiles.documents(p));
      } else {
        throw new AssertionError(file + ": resource " + entry + " does not exist");
      }
    }
    generate(dir, k, "configMapGenerator", "ConfigMap", out);
    generate(dir, k, "secretGenerator", "Secret", out);
    for (Object patch : Tree.listAt(k, "patches")) {
      Map<String, Object> p = Tree.map(patch);
      Path patchFile = dir.resolve(Tree.text(p, "path"));
      for (Map<String, Object> doc : DeployFiles.documents(patchFile)) {
        Map<String, Object> target = find(out, Tree.text(doc, "kind"), Tree.text(doc, "metadata.name"));
        if (target == null) {
          throw new AssertionError(patchFile + ": patches " + Tree.text(doc, "kind") + " "
            + Tree.text(doc, "metadata.name") + ", which the kustomization does not have");
        }
        merge(target, doc);
      }
    }
    for (Object labels : Tree.listAt(k, "labels")) {
      Map<String, Object> pairs = Tree.mapAt(Tree.map(labels), "pairs", file + " labels");
      out.forEach(r -> metadata(r, "labels").putAll(pairs));
    }
    String namespace = Tree.text(k, "namespace");
    if (namespace != null) {
      out.stream().filter(r -> !"Namespace".equals(r.get("kind"))).forEach(r -> metadataMap(r).put("namespace", namespace));
    }
    for (Object image : Tree.listAt(k, "images")) {
      Map<String, Object> i = Tree.map(image);
      out.forEach(r -> retag(r, i));
    }
    return out;
  }

  /** The resource of this kind and name, or null. */
  static Map<String, Object> find(List<Map<String, Object>> resources, String kind, String name) {
    return resources.stream()
      .filter(r -> kind.equals(r.get("kind")) && name.equals(Tree.text(r, "metadata.name")))
      .findFirst().orElse(null);
  }

  private static void generate(Path dir, Map<String, Object> k, String key, String kind, List<Map<String, Object>> out) {
    for (Object g : Tree.listAt(k, key)) {
      Map<String, Object> gen = Tree.map(g);
      String name = Tree.text(gen, "name");
      Map<String, Object> data = new LinkedHashMap<>();
      for (Object literal : Tree.listAt(gen, "literals")) {
        String[] kv = String.valueOf(literal).split("=", 2);
        data.put(kv[0], kv.length > 1 ? kv[1] : "");
      }
      for (Object env : Tree.listAt(gen, "envs")) {
        data.putAll(envFile(dir.resolve(String.valueOf(env))));
      }
      Map<String, Object> existing = find(out, kind, name);
      if ("merge".equals(Tree.text(gen, "behavior"))) {
        if (existing == null) {
          throw new AssertionError(dir + ": " + key + " merges into " + kind + " " + name + ", which does not exist");
        }
        existing.computeIfAbsent("data", x -> new LinkedHashMap<>());
        Tree.map(existing.get("data")).putAll(data);
      } else {
        if (existing != null) {
          throw new AssertionError(dir + ": " + key + " creates " + kind + " " + name + " a second time");
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("apiVersion", "v1");
        r.put("kind", kind);
        r.put("metadata", new LinkedHashMap<>(Map.of("name", name)));
        r.put("data", data);
        out.add(r);
      }
    }
  }

  /** KEY=VALUE lines of an env file; one that is not committed (secrets) is read from its {@code .example}. */
  private static Map<String, String> envFile(Path file) {
    Path read = Files.isRegularFile(file) ? file : file.resolveSibling(file.getFileName() + ".example");
    if (!Files.isRegularFile(read)) {
      throw new AssertionError("env file " + file + " (or its .example) does not exist");
    }
    Map<String, String> out = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(read)) {
        String l = line.trim();
        if (!l.isEmpty() && !l.startsWith("#")) {
          String[] kv = l.split("=", 2);
          out.put(kv[0].trim(), kv.length > 1 ? kv[1] : "");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Strategic merge as far as the manifests need it: maps merge, lists of named maps merge by name. */
  static void merge(Map<String, Object> into, Map<String, Object> patch) {
    patch.forEach((key, value) -> {
      Object old = into.get(key);
      if (old instanceof Map && value instanceof Map) {
        merge(Tree.map(old), Tree.map(value));
      } else if (old instanceof List && value instanceof List && named(Tree.list(value))) {
        List<Object> items = Tree.list(old);
        for (Object v : Tree.list(value)) {
          Object name = Tree.map(v).get("name");
          Object same = items.stream().filter(i -> i instanceof Map && name.equals(((Map<?, ?>) i).get("name")))
            .findFirst().orElse(null);
          if (same == null) {
            items.add(v);
          } else {
            merge(Tree.map(same), Tree.map(v));
          }
        }
      } else {
        into.put(key, value);
      }
    });
  }

  private static boolean named(List<Object> items) {
    return !items.isEmpty() && items.stream().allMatch(i -> i instanceof Map && ((Map<?, ?>) i).containsKey("name"));
  }

  private static void retag(Map<String, Object> resource, Map<String, Object> image) {
    String name = Tree.text(image, "name");
    for (Map<String, Object> c : containers(resource)) {
      String current = String.valueOf(c.get("image"));
      int colon = current.lastIndexOf(':');
      String bare = colon > current.lastIndexOf('/') ? current.substring(0, colon) : current;
      if (bare.equals(name)) {
        String newName = image.containsKey("newName") ? Tree.text(image, "newName") : bare;
        String tag = image.containsKey("newTag") ? ":" + Tree.text(image, "newTag")
          : colon > current.lastIndexOf('/') ? current.substring(colon) : "";
        c.put("image", newName + tag);
      }
    }
  }

  /** The containers of a workload's pod template (empty for other kinds). */
  static List<Map<String, Object>> containers(Map<String, Object> resource) {
    List<Map<String, Object>> out = new ArrayList<>();
    Tree.listAt(resource, "spec.template.spec.containers").forEach(c -> out.add(Tree.map(c)));
    return out;
  }

  private static Map<String, Object> metadataMap(Map<String, Object> resource) {
    return Tree.map(resource.computeIfAbsent("metadata", x -> new LinkedHashMap<>()));
  }

  private static Map<String, Object> metadata(Map<String, Object> resource, String key) {
    return Tree.map(metadataMap(resource).computeIfAbsent(key, x -> new LinkedHashMap<>()));
  }
}
