# syntax=docker/dockerfile:1
# The infra-worker operator image. Build context: the repository root
#   docker build -t infra-worker/operator:0.1.0 .
# The thin jar's manifest puts lib/*.jar on its class path, so the jar and lib/ stay side by side.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY crds crds
COPY src src
# BuildKit cache: Maven's repository (and the wrapper's Maven) survive between builds.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -DskipTests package

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 65532 infraworker \
 && useradd --system --uid 65532 --gid 65532 --no-create-home --shell /usr/sbin/nologin infraworker
WORKDIR /app
COPY --from=build /src/target/infra-worker.jar /app/infra-worker.jar
COPY --from=build /src/target/lib /app/lib
USER 65532:65532
# 8000: Prometheus /metrics, 8001: /health, /healthz, /readyz
EXPOSE 8000 8001
ENTRYPOINT ["java", "-jar", "/app/infra-worker.jar"]
CMD ["run"]
