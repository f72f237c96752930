# Client tests: drive the runtime through containerd, podman and docker (tests/clients/).
# `make check-clients` uses build/berth; `make check-clients RUNTIME=runc` proves the
# checks against runc. Until berth can run a container the target prints the results
# and "skip: berth cannot run containers yet" without failing.
CLIENTS_RUNTIME ?= $(if $(RUNTIME),$(RUNTIME),berth)
CLIENTS ?= contract containerd podman docker

.PHONY: check-clients
check-clients: $(if $(filter berth,$(CLIENTS_RUNTIME)),all)
	RUNTIME=$(CLIENTS_RUNTIME) CLIENTS="$(CLIENTS)" tests/clients/run.sh

CHECK_TARGETS += check-clients
