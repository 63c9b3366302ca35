package io.infraworker.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a user of kubectl gets from the committed CRDs: names, columns, subresources, docs, validation. */
class CrdContentTest {
  private static CustomResourceDefinitionVersion version(String file) throws IOException {
    return crd(file).getSpec().getVersions().get(0);
  }

  private static CustomResourceDefinition crd(String file) throws IOException {
    return new KubernetesSerialization().unmarshal(
        Files.readString(Path.of("crds", file)), CustomResourceDefinition.class);
  }

  @Test
  void executionJobHasShortNameCategoryColumnsAndStatus() throws IOException {
    CustomResourceDefinition crd = crd("executionjobs.infraworker.io-v1.yml");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("ej");
    assertThat(crd.getSpec().getNames().getCategories()).containsExactly("infraworker");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
    assertThat(v.getName()).isEqualTo("v1alpha1");
    assertThat(v.getAdditionalPrinterColumns()).extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("Runtime", "Phase", "Exit", "Duration", "Peak memory", "Age");
    assertThat(v.getSubresources().getStatus()).isNotNull();
  }

  @Test
  void warmPoolHasShortNameColumnsAndScaleSubresource() throws IOException {
    CustomResourceDefinition crd = crd("warmpools.infraworker.io-v1.yml");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("wp");
    assertThat(crd.getSpec().getNames().getCategories()).containsExactly("infraworker");
    CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
    assertThat(v.getAdditionalPrinterColumns()).extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("Runtime", "Memory", "Desired", "Ready", "Claimed", "Age");
    var scale = v.getSubresources().getScale();
    assertThat(scale.getSpecReplicasPath()).isEqualTo(".spec.replicas");
    assertThat(scale.getStatusReplicasPath()).isEqualTo(".status.replicas");
    assertThat(scale.getLabelSelectorPath()).isEqualTo(".status.selector");
  }

  @Test
  void everyFieldHasADescription() throws IOException {
    for (String file : List.of("executionjobs.infraworker.io-v1.yml", "warmpools.infraworker.io-v1.yml")) {
      Map<String, JSONSchemaProps> top = version(file).getSchema().getOpenAPIV3Schema().getProperties();
      List<String> missing = new ArrayList<>();
      collectUndescribed("spec", top.get("spec"), missing);
      collectUndescribed("status", top.get("status"), missing);
      assertThat(missing).as(file).isEmpty();
    }
  }

  private static void collectUndescribed(String path, JSONSchemaProps schema, List<String> missing) {
    if (schema.getDescription() == null || schema.getDescription().isBlank()) {
      missing.add(path);
    }
    if (schema.getProperties() != null) {
      schema.getProperties().forEach((name, child) -> collectUndescribed(path + "." + name, child, missing));
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null
        && schema.getItems().getSchema().getProperties() != null) {
      schema.getItems().getSchema().getProperties()
          .forEach((name, child) -> collectUndescribed(path + "[]." + name, child, missing));
    }
  }

  @Test
  void specValidationLimitsRuntimeMemoryTimeoutAndReplicas() throws IOException {
    Map<String, JSONSchemaProps> job = version("executionjobs.infraworker.io-v1.yml")
        .getSchema().getOpenAPIV3Schema().getProperties().get("spec").getProperties();
    assertThat(job.get("runtime").getEnum()).extracting(Object::toString)
        .containsExactlyInAnyOrder("\"python\"", "\"nodejs\"", "\"cpp\"", "\"go\"");
    assertThat(job.get("memoryMb").getMinimum()).isEqualTo(64.0);
    assertThat(job.get("memoryMb").getMaximum()).isEqualTo(10240.0);
    assertThat(job.get("timeoutMs").getMinimum()).isEqualTo(100.0);
    assertThat(job.get("timeoutMs").getMaximum()).isEqualTo(900000.0);

    Map<String, JSONSchemaProps> pool = version("warmpools.infraworker.io-v1.yml")
        .getSchema().getOpenAPIV3Schema().getProperties().get("spec").getProperties();
    assertThat(pool.get("replicas").getMinimum()).isEqualTo(0.0);
    assertThat(pool.get("runtime").getEnum()).hasSize(4);
  }
}
