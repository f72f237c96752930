# `make demo` (after deps): build, make a busybox bundle in demo/ from
# config.example.json, and run a container that prints from inside.
# Owner: life.

DEMO_DIR ?= demo
DEMO_ROOT ?= $(DEMO_DIR)/state
DEMO_BUSYBOX ?= /bin/busybox

.PHONY: demo-run demo-bundle
demo-bundle: config.example.json
	@test -x $(DEMO_BUSYBOX) || { echo "demo: $(DEMO_BUSYBOX) missing (apt-get install busybox-static)"; exit 1; }
	@rm -rf $(DEMO_DIR)/bundle && mkdir -p $(DEMO_DIR)/bundle/rootfs
	@cd $(DEMO_DIR)/bundle/rootfs && mkdir -p bin dev proc sys etc tmp root && \
		cp $(DEMO_BUSYBOX) bin/busybox && \
		for a in $$(./bin/busybox --list); do [ -e bin/$$a ] || ln -s busybox bin/$$a; done && \
		echo 'root:x:0:0:root:/root:/bin/sh' > etc/passwd && echo 'root:x:0:' > etc/group
	@cp config.example.json $(DEMO_DIR)/bundle/config.json
	@echo "demo: bundle in $(DEMO_DIR)/bundle (busybox rootfs + config.example.json)"

demo-run: all demo-bundle
	@echo "demo: $(BERTH) run --bundle $(DEMO_DIR)/bundle berth-demo"
	@$(BERTH) --root $(abspath $(DEMO_ROOT)) delete --force berth-demo >/dev/null 2>&1 || true
	@$(BERTH) --root $(abspath $(DEMO_ROOT)) run --bundle $(DEMO_DIR)/bundle berth-demo
	@echo "demo: the container exited with status 0 and was removed"
