# infra-worker — one entry point for building and testing everything.
#   make build   the agent binary and target/infra-worker.jar (tests skipped)
#   make test    everything: agent (go vet, go test), SDK tests, then the Java build with all its tests
#   make crds    rewrite crds/ from the classes in io.infraworker.api
#   make bench   the agent's benchmark (overhead per run, idle RSS)
#   make dev     the whole system on this machine (see the README's Quick start); Ctrl-C stops it
#   make demo    start the dev stack, run every example of examples/, print a table, stop

MVN   ?= ./mvnw -B -ntp
AGENT := runtimes/agent

.PHONY: all build agent test test-agent test-java crds bench dev demo tools clean

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

# The dev stack and the demo need Go, g++ and node for the runtimes and redis-server (else the
# embedded one): install what is missing when root, else say what to run and stop.
tools:
	@missing=""; \
	for t in go:golang-go g++:g++ node:nodejs; do \
	  command -v $${t%%:*} >/dev/null 2>&1 || missing="$$missing $${t#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "missing:$$missing -- run: sudo apt-get install -y$$missing"; exit 1; fi; \
	fi

dev: tools build
	java -jar target/infra-worker.jar dev

demo: tools build
	LOG_LEVEL=$${LOG_LEVEL:-WARN} java -jar target/infra-worker.jar demo

clean:
	$(MAKE) -C $(AGENT) clean
	$(MVN) -q clean
