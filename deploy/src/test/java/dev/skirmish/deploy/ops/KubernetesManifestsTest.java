package dev.skirmish.deploy.ops;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes manifests under deploy/k8s, checked without a cluster: every YAML file parses and names a real
 * kind with its apiVersion; the base and every overlay, rendered as kustomize would, give each role a Deployment
 * with probes on the management port, resources, a graceful stop, a Service and a PodDisruptionBudget whose
 * selectors match its pods, Hazelcast discovery through a headless Service the pods may read, and autoscalers
 * that target existing Deployments.
 */
class KubernetesManifestsTest {

  static final List<String> ROLES = List.of("gateway", "games", "matchmaker", "party", "signaling");
  /** The kinds the manifests may use, with the apiVersion the Kubernetes API serves them under. */
  private static final Map<String, String> API_VERSIONS = Map.ofEntries(
    Map.entry("Namespace", "v1"), Map.entry("ServiceAccount", "v1"), Map.entry("ConfigMap", "v1"),
    Map.entry("Secret", "v1"), Map.entry("Service", "v1"),
    Map.entry("Deployment", "apps/v1"),
    Map.entry("Role", "rbac.authorization.k8s.io/v1"), Map.entry("RoleBinding", "rbac.authorization.k8s.io/v1"),
    Map.entry("PodDisruptionBudget", "policy/v1"),
    Map.entry("HorizontalPodAutoscaler", "autoscaling/v2"),
    Map.entry("Kustomization", "kustomize.config.k8s.io/v1beta1"));
  private static final int MANAGEMENT_PORT = 9090;

  static Path k8s() {
    return DeployFiles.deployDir().resolve("k8s");
  }

  /** deploy/k8s/base and every directory under deploy/k8s/overlays. */
  static Stream<Path> kustomizations() throws IOException {
    List<Path> dirs = new ArrayList<>(List.of(k8s().resolve("base")));
    try (Stream<Path> overlays = Files.list(k8s().resolve("overlays"))) {
      overlays.filter(Files::isDirectory).sorted().forEach(dirs::add);
    }
    return dirs.stream();
  }

  @Test
  @DisplayName("every YAML file under deploy/k8s parses and each document names a known kind with its apiVersion")
  void kindsAndApiVersions() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(k8s())) {
      files = walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    }
    assertThat(files).as("YAML files under deploy/k8s").isNotEmpty();
    for (Path file : files) {
      for (Map<String, Object> doc : DeployFiles.documents(file)) {
        String kind = Tree.text(doc, "kind");
        assertThat(API_VERSIONS).as(file + ": kind " + kind).containsKey(kind);
        assertThat(Tree.text(doc, "apiVersion")).as(file + ": apiVersion of " + kind).isEqualTo(API_VERSIONS.get(kind));
        if (!"Kustomization".equals(kind)) {
          assertThat(Tree.text(doc, "metadata.name")).as(file + ": metadata.name of a " + kind).isNotBlank();
        }
      }
    }
    assertThat(k8s().resolve("skirmish.yaml")).as("the flat manifest is replaced by the kustomization").doesNotExist();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kustomizations")
  @DisplayName("every role has a Deployment with probes on the management port, resources and a graceful stop")
  void deployments(Path dir) {
    Manifests m = new Manifests(Kustomize.render(dir));
    m.uniqueNames();
    for (String role : ROLES) {
      Map<String, Object> d = m.deploymentOf(role);
      String what = dir.getFileName() + " " + role + " Deployment";
      Map<String, Object> labels = Tree.mapAt(d, "spec.template.metadata.labels", what);
      assertThat(labels).as(what + ": pod labels contain the selector")
        .containsAllEntriesOf(Tree.mapAt(d, "spec.selector.matchLabels", what));
      List<Map<String, Object>> containers = Kustomize.containers(d);
      assertThat(containers).as(what + ": containers").hasSize(1);
      Map<String, Object> c = containers.get(0);
      assertThat(Tree.text(c, "image")).as(what + ": image").isNotBlank();
      assertThat(m.probePort(c, "startupProbe", what)).as(what + ": startupProbe port").isEqualTo(MANAGEMENT_PORT);
      assertThat(m.probePort(c, "readinessProbe", what)).as(what + ": readinessProbe port").isEqualTo(MANAGEMENT_PORT);
      assertThat(m.probePort(c, "livenessProbe", what)).as(what + ": livenessProbe port").isEqualTo(MANAGEMENT_PORT);
      assertThat(Tree.text(c, "readinessProbe.httpGet.path")).as(what + ": readiness path").isEqualTo("/ready");
      assertThat(Tree.text(c, "livenessProbe.httpGet.path")).as(what + ": liveness path").isEqualTo("/health");
      assertThat(Tree.text(c, "startupProbe.httpGet.path")).as(what + ": startup path").isEqualTo("/health");
      assertThat(m.config(d, "MANAGEMENT_PORT")).as(what + ": MANAGEMENT_PORT").isEqualTo(String.valueOf(MANAGEMENT_PORT));
      for (String kind : List.of("requests", "limits")) {
        for (String resource : List.of("cpu", "memory")) {
          assertThat(Tree.text(c, "resources." + kind + "." + resource)).as(what + ": resources." + kind + "." + resource)
            .isNotBlank();
        }
      }
      assertThat(Quantity.cpu(Tree.text(c, "resources.requests.cpu")))
        .as(what + ": cpu request within the limit").isLessThanOrEqualTo(Quantity.cpu(Tree.text(c, "resources.limits.cpu")));
      assertThat(Quantity.bytes(Tree.text(c, "resources.requests.memory")))
        .as(what + ": memory request within the limit")
        .isLessThanOrEqualTo(Quantity.bytes(Tree.text(c, "resources.limits.memory")));
      List<Object> preStop = Tree.listAt(c, "lifecycle.preStop.exec.command");
      assertThat(preStop).as(what + ": preStop").isNotEmpty();
      Object grace = Tree.at(d, "spec.template.spec.terminationGracePeriodSeconds");
      assertThat(grace).as(what + ": terminationGracePeriodSeconds").isInstanceOf(Integer.class);
      int sleep = "sleep".equals(preStop.get(0)) ? Integer.parseInt(String.valueOf(preStop.get(1))) : 0;
      // The node needs time of its own after the preStop: draining, handing over, leaving the cluster.
      assertThat((Integer) grace).as(what + ": grace period beyond the preStop").isGreaterThanOrEqualTo(sleep + 30);
      // The node's own drain (SHUTDOWN_GRACE_SECONDS) starts after the preStop and must end before the kubelet's SIGKILL.
      String drain = m.config(d, "SHUTDOWN_GRACE_SECONDS");
      assertThat(drain).as(what + ": SHUTDOWN_GRACE_SECONDS").isNotBlank();
      assertThat(sleep + Integer.parseInt(drain)).as(what + ": preStop + SHUTDOWN_GRACE_SECONDS within the grace period")
        .isLessThan((Integer) grace);
      assertThat(m.env(c, "ROLES")).as(what + ": ROLES").isEqualTo(role);
      assertThat(Tree.text(d, "spec.template.spec.securityContext.runAsNonRoot")).as(what + ": runAsNonRoot").isEqualTo("true");
    }
    assertThat(m.all("Deployment")).as("one Deployment per role, no other").hasSize(ROLES.size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kustomizations")
  @DisplayName("every role has a Service and a PodDisruptionBudget selecting exactly its pods; every Service selects pods")
  void servicesAndDisruptionBudgets(Path dir) {
    Manifests m = new Manifests(Kustomize.render(dir));
    for (String role : ROLES) {
      Map<String, Object> d = m.deploymentOf(role);
      String what = dir.getFileName() + " " + role;
      List<Map<String, Object>> services = m.all("Service").stream()
        .filter(s -> m.selectsOnly(Tree.map(Tree.at(s, "spec.selector")), d)).toList();
      assertThat(services).as(what + ": a Service selecting the role's pods and no other role's").isNotEmpty();
      for (Map<String, Object> s : services) {
        for (Object port : Tree.listAt(s, "spec.ports")) {
          Object target = Tree.map(port).getOrDefault("targetPort", Tree.map(port).get("port"));
          assertThat(m.containerPort(Kustomize.containers(d).get(0), target))
            .as(what + ": Service " + Tree.text(s, "metadata.name") + " targetPort " + target + " is a container port")
            .isNotNull();
        }
      }
      List<Map<String, Object>> pdbs = m.all("PodDisruptionBudget").stream()
        .filter(p -> m.selectsOnly(Tree.mapAt(p, "spec.selector.matchLabels", "PDB"), d)).toList();
      assertThat(pdbs).as(what + ": one PodDisruptionBudget selecting the role's pods and no other role's").hasSize(1);
      Map<String, Object> spec = Tree.mapAt(pdbs.get(0), "spec", "PDB");
      assertThat(spec.containsKey("maxUnavailable") || spec.containsKey("minAvailable"))
        .as(what + ": PDB sets maxUnavailable or minAvailable").isTrue();
    }
    assertThat(m.all("PodDisruptionBudget")).as("no PodDisruptionBudget beyond the roles'").hasSize(ROLES.size());
    for (Map<String, Object> s : m.all("Service")) {
      Map<String, Object> selector = Tree.mapAt(s, "spec.selector", "Service " + Tree.text(s, "metadata.name"));
      assertThat(m.all("Deployment").stream().anyMatch(d -> m.selects(selector, d)))
        .as(dir.getFileName() + ": Service " + Tree.text(s, "metadata.name") + " selects some Deployment's pods").isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kustomizations")
  @DisplayName("Hazelcast discovery: a headless Service of every pod, named in the config, readable by the pods' account")
  void hazelcastDiscovery(Path dir) {
    Manifests m = new Manifests(Kustomize.render(dir));
    String serviceName = m.configMapValue("CLUSTER_KUBERNETES_SERVICE");
    assertThat(serviceName).as("CLUSTER_KUBERNETES_SERVICE in the ConfigMap").isNotBlank();
    assertThat(m.configMapValue("CLUSTER")).as("CLUSTER in the ConfigMap").isEqualTo("true");
    Map<String, Object> hz = m.one("Service", serviceName);
    assertThat(Tree.text(hz, "spec.clusterIP")).as(serviceName + " is headless").isEqualTo("None");
    assertThat(Tree.text(hz, "spec.publishNotReadyAddresses"))
      .as(serviceName + " lists pods before they are ready (readiness needs cluster membership)").isEqualTo("true");
    Map<String, Object> selector = Tree.mapAt(hz, "spec.selector", serviceName);
    for (String role : ROLES) {
      Map<String, Object> d = m.deploymentOf(role);
      String what = dir.getFileName() + " " + role;
      assertThat(m.selects(selector, d)).as(what + ": pods are behind " + serviceName).isTrue();
      for (Object port : Tree.listAt(hz, "spec.ports")) {
        assertThat(m.containerPort(Kustomize.containers(d).get(0), Tree.map(port).get("targetPort")))
          .as(what + ": exposes the Hazelcast port").isEqualTo(5701);
      }
      String account = Tree.text(d, "spec.template.spec.serviceAccountName");
      assertThat(account).as(what + ": serviceAccountName").isNotBlank();
      m.one("ServiceAccount", account);
      assertThat(m.mayList(account, "", "endpoints")).as(what + ": " + account + " may list endpoints").isTrue();
      assertThat(m.mayList(account, "", "pods")).as(what + ": " + account + " may list pods").isTrue();
      assertThat(m.env(Kustomize.containers(d).get(0), "EVENTBUS_PUBLIC_HOST"))
        .as(what + ": EVENTBUS_PUBLIC_HOST is the pod's address").isEqualTo("fieldRef:status.podIP");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kustomizations")
  @DisplayName("gateway and signaling autoscale on CPU and on a per-pod load metric; every HPA targets a Deployment")
  void autoscalers(Path dir) {
    Manifests m = new Manifests(Kustomize.render(dir));
    for (Map<String, Object> hpa : m.all("HorizontalPodAutoscaler")) {
      String what = dir.getFileName() + " HPA " + Tree.text(hpa, "metadata.name");
      Map<String, Object> target = Tree.mapAt(hpa, "spec.scaleTargetRef", what);
      assertThat(Tree.text(target, "apiVersion")).as(what + ": target apiVersion").isEqualTo("apps/v1");
      assertThat(Tree.text(target, "kind")).as(what + ": target kind").isEqualTo("Deployment");
      m.one("Deployment", Tree.text(target, "name"));
      Object min = Tree.at(hpa, "spec.minReplicas");
      Object max = Tree.at(hpa, "spec.maxReplicas");
      assertThat(min).as(what + ": minReplicas").isInstanceOf(Integer.class);
      assertThat(max).as(what + ": maxReplicas").isInstanceOf(Integer.class);
      assertThat((Integer) min).as(what + ": minReplicas <= maxReplicas").isLessThanOrEqualTo((Integer) max);
      assertThat((Integer) min).as(what + ": at least two, as the PDB allows one down").isGreaterThanOrEqualTo(2);
    }
    assertThat(m.scaledOn("gateway")).as("gateway HPA metrics")
      .contains("Resource:cpu", "Pods:skirmish_connections");
    assertThat(m.scaledOn("signaling")).as("signaling HPA metrics")
      .contains("Resource:cpu", "Pods:skirmish_omega_peers");
  }

  @Test
  @DisplayName("the production overlay takes DATABASE_URL from a Secret it generates and keeps secrets.env out of git")
  void secrets() throws IOException {
    Path production = k8s().resolve("overlays/production");
    Manifests m = new Manifests(Kustomize.render(production));
    for (String role : ROLES) {
      Map<String, Object> c = Kustomize.containers(m.deploymentOf(role)).get(0);
      String ref = m.env(c, "DATABASE_URL");
      assertThat(ref).as(role + ": DATABASE_URL from a Secret").startsWith("secretKeyRef:");
      String[] secretAndKey = ref.substring("secretKeyRef:".length()).split("/");
      Map<String, Object> secret = m.one("Secret", secretAndKey[0]);
      assertThat(Tree.mapAt(secret, "data", "Secret")).as("Secret " + secretAndKey[0]).containsKey(secretAndKey[1]);
      assertThat(Tree.text(c, "image")).as(role + ": image from the registry").startsWith("registry.");
    }
    assertThat(Files.readString(DeployFiles.deployDir().resolveSibling(".gitignore")))
      .as(".gitignore").contains("deploy/k8s/overlays/*/secrets.env");
  }

  /** The rendered resources of one kustomization, with the look-ups the checks share. */
  private record Manifests(List<Map<String, Object>> resources) {

    void uniqueNames() {
      List<String> keys = resources.stream()
        .map(r -> r.get("kind") + "/" + Tree.text(r, "metadata.name")).toList();
      assertThat(keys).as("kind/name pairs").doesNotHaveDuplicates();
    }

    List<Map<String, Object>> all(String kind) {
      return resources.stream().filter(r -> kind.equals(r.get("kind"))).toList();
    }

    Map<String, Object> one(String kind, String name) {
      Map<String, Object> r = Kustomize.find(resources, kind, name);
      assertThat(r).as(kind + " " + name).isNotNull();
      return r;
    }

    /** The Deployment whose container runs exactly {@code role}. */
    Map<String, Object> deploymentOf(String role) {
      List<Map<String, Object>> found = all("Deployment").stream()
        .filter(d -> Kustomize.containers(d).stream().anyMatch(c -> role.equals(env(c, "ROLES")))).toList();
      assertThat(found).as("Deployments with ROLES=" + role).hasSize(1);
      return found.get(0);
    }

    /** An env variable of the container: its value, "secretKeyRef:name/key", "fieldRef:path", or null. */
    String env(Map<String, Object> container, String name) {
      for (Object e : Tree.listAt(container, "env")) {
        Map<String, Object> v = Tree.map(e);
        if (name.equals(v.get("name"))) {
          if (v.containsKey("value")) {
            return String.valueOf(v.get("value"));
          }
          if (Tree.at(v, "valueFrom.secretKeyRef") != null) {
            return "secretKeyRef:" + Tree.text(v, "valueFrom.secretKeyRef.name") + "/" + Tree.text(v, "valueFrom.secretKeyRef.key");
          }
          if (Tree.at(v, "valueFrom.fieldRef") != null) {
            return "fieldRef:" + Tree.text(v, "valueFrom.fieldRef.fieldPath");
          }
          return "valueFrom";
        }
      }
      return null;
    }

    /** A setting as the container sees it: its env first, then the ConfigMaps it takes whole. */
    String config(Map<String, Object> deployment, String name) {
      Map<String, Object> c = Kustomize.containers(deployment).get(0);
      String direct = env(c, name);
      if (direct != null) {
        return direct;
      }
      for (Object from : Tree.listAt(c, "envFrom")) {
        String cm = Tree.text(Tree.map(from), "configMapRef.name");
        if (cm != null) {
          Object v = Tree.at(one("ConfigMap", cm), "data." + name);
          if (v != null) {
            return String.valueOf(v);
          }
        }
      }
      return null;
    }

    String configMapValue(String key) {
      return all("ConfigMap").stream().map(cm -> Tree.text(cm, "data." + key)).filter(Objects::nonNull)
        .findFirst().orElse(null);
    }

    /** The number of a container port given by number or by name, or null when the container has none such. */
    Integer containerPort(Map<String, Object> container, Object port) {
      for (Object p : Tree.listAt(container, "ports")) {
        Map<String, Object> cp = Tree.map(p);
        if (String.valueOf(port).equals(String.valueOf(cp.get("containerPort"))) || Objects.equals(port, cp.get("name"))) {
          return (Integer) cp.get("containerPort");
        }
      }
      return null;
    }

    Integer probePort(Map<String, Object> container, String probe, String what) {
      Object port = Tree.at(container, probe + ".httpGet.port");
      assertThat(port).as(what + ": " + probe + ".httpGet.port").isNotNull();
      return containerPort(container, port);
    }

    boolean selects(Map<String, Object> selector, Map<String, Object> deployment) {
      Map<String, Object> labels = Tree.mapAt(deployment, "spec.template.metadata.labels", "pod labels");
      return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    /** Whether the selector picks this Deployment's pods and no other Deployment's. */
    boolean selectsOnly(Map<String, Object> selector, Map<String, Object> deployment) {
      return selects(selector, deployment)
        && all("Deployment").stream().filter(d -> d != deployment).noneMatch(d -> selects(selector, d));
    }

    /** Whether a RoleBinding gives the account a Role that may get and list the resource. */
    boolean mayList(String account, String apiGroup, String resource) {
      return all("RoleBinding").stream()
        .filter(b -> Tree.listAt(b, "subjects").stream()
          .anyMatch(s -> "ServiceAccount".equals(Tree.map(s).get("kind")) && account.equals(Tree.map(s).get("name"))))
        .filter(b -> "Role".equals(Tree.text(b, "roleRef.kind")))
        .map(b -> one("Role", Tree.text(b, "roleRef.name")))
        .flatMap(r -> Tree.listAt(r, "rules").stream().map(Tree::map))
        .anyMatch(rule -> Tree.listAt(rule, "apiGroups").contains(apiGroup)
          && Tree.listAt(rule, "resources").contains(resource)
          && Tree.listAt(rule, "verbs").containsAll(List.of("get", "list")));
    }

    /** "Resource:cpu", "Pods:metric" for each metric of the HPA that scales the role's Deployment. */
    List<String> scaledOn(String role) {
      String name = Tree.text(deploymentOf(role), "metadata.name");
      List<Map<String, Object>> hpas = all("HorizontalPodAutoscaler").stream()
        .filter(h -> name.equals(Tree.text(h, "spec.scaleTargetRef.name"))).toList();
      assertThat(hpas).as("HPA of " + name).hasSize(1);
      List<String> out = new ArrayList<>();
      for (Object metric : Tree.listAt(hpas.get(0), "spec.metrics")) {
        Map<String, Object> mt = Tree.map(metric);
        String type = Tree.text(mt, "type");
        if ("Resource".equals(type)) {
          out.add("Resource:" + Tree.text(mt, "resource.name"));
        } else if ("Pods".equals(type)) {
          assertThat(Tree.text(mt, "pods.target.type")).as(name + " Pods metric target").isEqualTo("AverageValue");
          out.add("Pods:" + Tree.text(mt, "pods.metric.name"));
        } else {
          out.add(type);
        }
      }
      return out;
    }
  }
}
