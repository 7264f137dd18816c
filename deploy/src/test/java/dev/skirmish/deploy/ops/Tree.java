package dev.skirmish.deploy.ops;

import java.util.List;
import java.util.Map;

/**
 * Typed steps through a parsed YAML or JSON tree (maps, lists, scalars): a missing or mistyped node is an
 * assertion failure that names the path, so a broken manifest reads as such in the test report.
 */
final class Tree {

  private Tree() {
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node) {
    if (!(node instanceof Map)) {
      throw new AssertionError("expected a mapping, found " + node);
    }
    return (Map<String, Object>) node;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object node) {
    if (!(node instanceof List)) {
      throw new AssertionError("expected a list, found " + node);
    }
    return (List<Object>) node;
  }

  /** The node at the dotted {@code path} below {@code root}, or null when a step is missing. */
  static Object at(Map<String, Object> root, String path) {
    Object node = root;
    for (String step : path.split("\\.")) {
      if (!(node instanceof Map)) {
        return null;
      }
      node = ((Map<?, ?>) node).get(step);
    }
    return node;
  }

  /** The mapping at {@code path}; fails, naming {@code what} and the path, when it is missing. */
  static Map<String, Object> mapAt(Map<String, Object> root, String path, String what) {
    Object node = at(root, path);
    if (!(node instanceof Map)) {
      throw new AssertionError(what + ": no mapping at " + path + " (found " + node + ")");
    }
    return map(node);
  }

  /** The list at {@code path}, empty when it is missing. */
  static List<Object> listAt(Map<String, Object> root, String path) {
    Object node = at(root, path);
    return node == null ? List.of() : list(node);
  }

  /** The scalar at {@code path} as text, or null when missing. */
  static String text(Map<String, Object> root, String path) {
    Object node = at(root, path);
    return node == null ? null : String.valueOf(node);
  }
}
