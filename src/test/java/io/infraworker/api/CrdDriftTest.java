package io.infraworker.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The committed {@code crds/} must be what the Fabric8 CRD generator makes of the classes in
 * {@code api}. Run {@code make crds} (this test with {@code -Dcrds.update=true}) to rewrite them.
 */
class CrdDriftTest {
  private static final Path GENERATED = Path.of("target/classes/META-INF/fabric8");
  private static final Path COMMITTED = Path.of("crds");
  private static final String HEADER = "# Generated from the io.infraworker.api classes by the Fabric8 CRD generator"
      + " (printer columns in declared order).\n# Do not edit: change the classes and run `make crds`.\n";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @ParameterizedTest
  @ValueSource(classes = {ExecutionJob.class, WarmPool.class})
  void committedCrdMatchesTheClasses(Class<?> type) throws IOException {
    String file = crdName(type) + "-v1.yml";
    String expected = expectedCrd(type, Files.readString(GENERATED.resolve(file)));
    if (Boolean.getBoolean("crds.update")) {
      Files.createDirectories(COMMITTED);
      Files.writeString(COMMITTED.resolve(file), expected, StandardCharsets.UTF_8);
    }
    assertThat(COMMITTED.resolve(file))
        .as("crds/%s differs from the classes: run `make crds`", file)
        .exists()
        .hasContent(expected);
  }

  private static String crdName(Class<?> type) {
    String kind = type.getSimpleName().toLowerCase();
    return kind + "s." + ExecutionJob.GROUP;
  }

  /**
   * The generator sorts printer columns by JSON path; kubectl shows them in CRD order, so they are put
   * back in the order the class declares them (Age last, as users expect).
   */
  static String expectedCrd(Class<?> type, String generatedYaml) {
    CustomResourceDefinition crd = SERIALIZATION.unmarshal(generatedYaml, CustomResourceDefinition.class);
    List<String> declared = Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
        .map(AdditionalPrinterColumn::name)
        .collect(Collectors.toList());
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      version.getAdditionalPrinterColumns().sort(
          Comparator.comparingInt((CustomResourceColumnDefinition c) -> declared.indexOf(c.getName())));
    }
    return HEADER + SERIALIZATION.asYaml(crd);
  }
}
