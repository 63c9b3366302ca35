# infra-worker — one entry point for building and testing everything.
#   make build   the agent binary and target/infra-worker.jar (tests skipped)
#   make test    everything: agent (go vet, go test), SDK tests, then the Java build with all its tests
#   make crds    rewrite crds/ from the classes in io.infraworker.api
#   make bench   the agent's benchmark (overhead per run, idle RSS)

MVN   ?= ./mvnw -B -ntp
AGENT := runtimes/agent

.PHONY: all build agent test test-agent test-java crds bench clean

all: build

agent:
	$(MAKE) -C $(AGENT) build

build: agent
	$(MVN) -q package -DskipTests

test: agent test-agent test-java

test-agent:
	$(MAKE) -C $(AGENT) test sdk-test

test-java: agent
	$(MVN) verify

crds:
	$(MVN) -q process-test-classes surefire:test -Dtest=CrdDriftTest -Dcrds.update=true

bench:
	$(MAKE) -C $(AGENT) bench

clean:
	$(MAKE) -C $(AGENT) clean
	$(MVN) -q clean
