package io.ivs.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The manifests in {@code deploy/kubernetes} are valid Kubernetes objects (read strictly, so a
 * misspelt field fails) and fit IVS: their probes are actuator paths that a running IVS answers
 * 200, every environment variable they set is a setting IVS reads, credentials come from the
 * Secret, the container runs as the image's non-root user, and the Service and the
 * PodDisruptionBudget select the Deployment's pods.
 */
class KubernetesManifestsIntegrationTest extends HttpTestSupport {
    private static final Path KUBERNETES = repositoryRoot().resolve("deploy/kubernetes");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):");
    /** Read by the JVM itself rather than by IVS. */
    private static final Set<String> JVM_VARIABLES =
            Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");

    @Test
    void everyManifest_isAValidKubernetesObject() throws IOException {
        List<HasMetadata> objects = kustomizationResources();

        assertThat(objects)
                .extracting(HasMetadata::getKind)
                .containsExactlyInAnyOrder(
                        "ConfigMap", "Deployment", "Service", "PodDisruptionBudget");
        assertThat(KubernetesManifests.read(
                        Files.readString(KUBERNETES.resolve("secret.example.yaml"))))
                .singleElement()
                .isInstanceOf(Secret.class);
    }

    @Test
    void aMisspeltField_failsTheStrictReading() {
        String misspelt = """
                apiVersion: v1
                kind: Service
                metadata:
                  name: ivs
                spec:
                  selectr:
                    app: ivs
                """;

        assertThatThrownBy(() -> KubernetesManifests.read(misspelt))
                .hasMessageContaining("selectr");
    }

    @Test
    void kubectlKustomize_rendersTheSameObjects() throws Exception {
        String rendered = kubectlKustomize();
        // Without kubectl the files themselves are still read strictly by the other tests; this
        // one is then reported as skipped, not as passed.
        assumeTrue(rendered != null, "kubectl is not installed");
        List<HasMetadata> objects = KubernetesManifests.read(rendered);

        assertThat(objects)
                .extracting(HasMetadata::getKind)
                .containsExactlyInAnyOrder(
                        "ConfigMap", "Deployment", "Service", "PodDisruptionBudget");
        Deployment deployment = only(objects, Deployment.class);
        assertThat(deployment.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/part-of", "ivs");
        assertThat(container(deployment).getImage()).startsWith("ivs:");
    }

    @Test
    void probes_areActuatorPaths_thatARunningIvsAnswers200() throws IOException {
        Container container = container(only(kustomizationResources(), Deployment.class));
        List<Probe> probes = Stream.of(
                        container.getStartupProbe(),
                        container.getLivenessProbe(),
                        container.getReadinessProbe())
                .toList();
        assertThat(probes).doesNotContainNull();
        assertThat(container.getReadinessProbe().getHttpGet().getPath())
                .isEqualTo("/actuator/health/readiness");
        assertThat(container.getLivenessProbe().getHttpGet().getPath())
                .isEqualTo("/actuator/health/liveness");

        IvsClient anonymous = client.withoutAuth();
        for (Probe probe : probes) {
            String path = probe.getHttpGet().getPath();
            assertThat(anonymous.get(path).status()).as(path).isEqualTo(200);
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
        }
    }

    @Test
    void containerPort_isTheServersPort_andTheServiceTargetsIt() throws IOException {
        List<HasMetadata> objects = kustomizationResources();
        Container container = container(only(objects, Deployment.class));
        ContainerPort http = container.getPorts().getFirst();
        String port = settings(objects).getOrDefault("IVS_PORT", "8080");

        assertThat(http.getName()).isEqualTo("http");
        assertThat(http.getContainerPort()).isEqualTo(Integer.valueOf(port));
        assertThat(only(objects, Service.class).getSpec().getPorts())
                .allSatisfy(servicePort ->
                        assertThat(servicePort.getTargetPort().getStrVal()).isEqualTo("http"));
    }

    @Test
    void everyEnvironmentVariable_isASettingIvsReads() throws IOException {
        Set<String> read = settingsIvsReads();
        List<HasMetadata> objects = kustomizationResources();
        Container container = container(only(objects, Deployment.class));

        Set<String> given = new TreeSet<>(settings(objects).keySet());
        container.getEnv().forEach(variable -> given.add(variable.getName()));

        assertThat(given).isNotEmpty().allSatisfy(name -> assertThat(read).contains(name));
        // The Dockerfile's own settings too.
        assertThat(dockerfileEnvironment()).allSatisfy(name -> assertThat(read).contains(name));
    }

    @Test
    void credentials_comeFromTheSecret_andNeverFromTheConfigMap() throws IOException {
        List<HasMetadata> objects = kustomizationResources();
        Secret example = (Secret) KubernetesManifests.read(
                        Files.readString(KUBERNETES.resolve("secret.example.yaml")))
                .getFirst();
        Container container = container(only(objects, Deployment.class));

        Map<String, SecretKeySelector> fromSecret = new java.util.TreeMap<>();
        for (EnvVar variable : container.getEnv()) {
            if (variable.getValueFrom() != null
                    && variable.getValueFrom().getSecretKeyRef() != null) {
                fromSecret.put(variable.getName(), variable.getValueFrom().getSecretKeyRef());
            }
        }

        assertThat(fromSecret)
                .containsOnlyKeys("IVS_DATABASE_PASSWORD", "IVS_BOOTSTRAP_CLIENT_SECRET");
        fromSecret.values().forEach(selector -> {
            assertThat(selector.getName()).isEqualTo(example.getMetadata().getName());
            assertThat(example.getStringData()).containsKey(selector.getKey());
        });
        assertThat(settings(objects).keySet())
                .noneMatch(name -> name.contains("PASSWORD") || name.contains("SECRET"));
    }

    @Test
    void theContainer_runsAsTheImagesNonRootUser() throws IOException {
        Deployment deployment = only(kustomizationResources(), Deployment.class);
        PodSecurityContext pod = deployment.getSpec().getTemplate().getSpec().getSecurityContext();
        SecurityContext own = container(deployment).getSecurityContext();

        assertThat(pod.getRunAsNonRoot()).isTrue();
        assertThat(pod.getRunAsUser()).isNotNull().isNotZero();
        assertThat(own.getAllowPrivilegeEscalation()).isFalse();
        assertThat(own.getReadOnlyRootFilesystem()).isTrue();
        assertThat(own.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(own.getRunAsUser())
                .as("no container overrides the pod's user")
                .isNull();
        // The image's USER is the same unprivileged id, so files it owns are the pod's.
        assertThat(dockerfileLines())
                .contains("USER " + pod.getRunAsUser() + ":" + pod.getRunAsGroup());
    }

    @Test
    void resources_andDisruptionBudget_fitTheDeployment() throws IOException {
        List<HasMetadata> objects = kustomizationResources();
        Deployment deployment = only(objects, Deployment.class);
        Map<String, String> podLabels =
                deployment.getSpec().getTemplate().getMetadata().getLabels();
        PodDisruptionBudget budget = only(objects, PodDisruptionBudget.class);
        Container container = container(deployment);

        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsKey("memory");
        assertThat(podLabels)
                .containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
        assertThat(podLabels)
                .containsAllEntriesOf(only(objects, Service.class).getSpec().getSelector());
        assertThat(podLabels)
                .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(budget.getSpec().getMinAvailable().getIntVal())
                .isPositive()
                .isLessThan(deployment.getSpec().getReplicas());
        // The ConfigMap the pods read exists.
        for (EnvFromSource source : container.getEnvFrom()) {
            assertThat(only(objects, ConfigMap.class).getMetadata().getName())
                    .isEqualTo(source.getConfigMapRef().getName());
        }
    }

    /** The objects that {@code kustomization.yaml} lists, read from their files. */
    private static List<HasMetadata> kustomizationResources() throws IOException {
        Map<?, ?> kustomization = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(KUBERNETES.resolve("kustomization.yaml")));
        List<HasMetadata> objects = new ArrayList<>();
        for (Object file : (List<?>) kustomization.get("resources")) {
            objects.addAll(KubernetesManifests.read(
                    Files.readString(KUBERNETES.resolve(file.toString()))));
        }
        return objects;
    }

    private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> kind) {
        List<T> found =
                objects.stream().filter(kind::isInstance).map(kind::cast).toList();
        assertThat(found).as(kind.getSimpleName()).hasSize(1);
        return found.getFirst();
    }

    private static Container container(Deployment deployment) {
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers()).hasSize(1);
        return pod.getContainers().getFirst();
    }

    /** The variables the ConfigMap gives the pods. */
    private static Map<String, String> settings(List<HasMetadata> objects) {
        return only(objects, ConfigMap.class).getData();
    }

    /** Every {@code ${NAME:default}} of IVS's application.yml, and what the JVM reads. */
    private static Set<String> settingsIvsReads() throws IOException {
        Set<String> names = new TreeSet<>(JVM_VARIABLES);
        try (var yml =
                KubernetesManifestsIntegrationTest.class.getResourceAsStream("/application.yml")) {
            assertThat(yml).isNotNull();
            Matcher matcher =
                    PLACEHOLDER.matcher(new String(yml.readAllBytes(), StandardCharsets.UTF_8));
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    private static List<String> dockerfileLines() throws IOException {
        return Files.readAllLines(repositoryRoot().resolve("Dockerfile")).stream()
                .map(String::strip)
                .toList();
    }

    /** The names set by the runtime stage's {@code ENV} instruction. */
    private static Set<String> dockerfileEnvironment() throws IOException {
        List<String> lines = dockerfileLines();
        int runtime = lines.lastIndexOf(lines.stream()
                .filter(line -> line.startsWith("FROM "))
                .reduce((first, second) -> second)
                .orElseThrow());
        Set<String> names = new TreeSet<>();
        boolean inEnv = false;
        for (String line : lines.subList(runtime, lines.size())) {
            inEnv = inEnv || line.startsWith("ENV ");
            if (inEnv) {
                Matcher name = Pattern.compile("^(?:ENV )?([A-Z][A-Z0-9_]*)=").matcher(line);
                if (name.find()) {
                    names.add(name.group(1));
                }
                inEnv = line.endsWith("\\");
            }
        }
        assertThat(names).contains("IVS_DATABASE_EMBEDDED");
        return names;
    }

    /** {@code kubectl kustomize}'s output, or null when kubectl is not installed. */
    private static String kubectlKustomize() throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("kubectl", "kustomize", KUBERNETES.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException notInstalled) {
            return null;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static Path repositoryRoot() {
        // Tests run in the module's folder; the manifests are at the repository's root.
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("deploy")) ? here : here.getParent();
    }
}
