# Two commands set up everything on a fresh Debian machine:
#   make demo   installs the Debian packages when missing, builds in release, runs the main job
#   make test   installs the Debian packages when missing, runs the whole test suite
SHELL := /bin/bash
DEBIAN_PACKAGES := libgsl-dev libopenblas-dev zlib1g-dev pkg-config
BIN := .build/release/manifoldlab
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build demo test test-cluster fuzz bench experiments readme install clean

# Installs the Debian packages the build needs, only those missing.
deps:
	@missing=""; for p in $(DEBIAN_PACKAGES) $(EXTRA_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make: installing$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# The Swift runtime and Foundation are linked statically: 5–6 MB less resident memory in every run
# (bench/README.md, Trainer). The test build below stays dynamic, as `swift test` expects.
build: deps
	swift build -c release --static-swift-stdlib

# gnuplot-nox draws the training run's pictures (run/curves.png, run/samples.png).
demo: EXTRA_PACKAGES = gnuplot-nox
demo: build
	$(BIN) js --dim 3
	$(BIN) js --dim 3 --noise 0.1
	$(BIN) train-toy --noise 0.1 --out run
	$(BIN) vanish
	$(BIN) dirac --loss r1 --gamma 0.5

# Installs the binary, shell completions (bash, zsh, fish; values of manifold names, losses, methods,
# paths) and a man page per command generated from their --help:  make install PREFIX=$$HOME/.local
PREFIX ?= /usr/local
install: EXTRA_PACKAGES = python3
install: build
	install -d $(PREFIX)/bin $(PREFIX)/share/bash-completion/completions $(PREFIX)/share/zsh/site-functions \
	  $(PREFIX)/share/fish/vendor_completions.d $(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(PREFIX)/bin/manifoldlab
	$(BIN) --generate-completion-script bash > $(PREFIX)/share/bash-completion/completions/manifoldlab
	$(BIN) --generate-completion-script zsh > $(PREFIX)/share/zsh/site-functions/_manifoldlab
	$(BIN) --generate-completion-script fish > $(PREFIX)/share/fish/vendor_completions.d/manifoldlab.fish
	python3 tools/manpage.py $(BIN) .build/manual
	install -m 644 .build/manual/*.1 $(PREFIX)/share/man/man1/
	@echo "installed manifoldlab, its completions and man pages under $(PREFIX)"

# Refreshes the outputs pasted in README.md and the guides from the built binary (ReadmeTests checks them).
readme: build
	for f in README.md docs/dirac.md docs/training.md; do python3 Tests/readme-outputs.py $$f; done

# The whole suite, in release (Swift loops run 20-90x slower in debug; -enable-testing keeps
# @testable imports working there); Swift Testing only. gnuplot-nox: the tests check the pictures;
# parallel: sweep --engine parallel is tested for real. As root (CI, containers) also slurm-wlm, munge
# and openssh-server: the sweep's ssh and Slurm engines are tested on daemons that tools/cluster.sh
# starts for the test on ports of their own and stops after it (about 25 s). Not as root, neither the
# packages nor that test (it is listed as skipped, with the reason).
CLUSTER_PACKAGES := slurm-wlm munge openssh-server
test: EXTRA_PACKAGES = gnuplot-nox parallel $(if $(filter 0,$(shell id -u)),$(CLUSTER_PACKAGES),)
test: deps
	swift build -c release --build-tests -Xswiftc -enable-testing
	OPENBLAS_NUM_THREADS=1 swift test -c release --skip-build --disable-xctest

# Only the cluster test (sweep over ssh and on Slurm), as root: sudo make test-cluster
test-cluster: EXTRA_PACKAGES = parallel $(CLUSTER_PACKAGES)
test-cluster: deps
	swift build -c release --build-tests -Xswiftc -enable-testing
	OPENBLAS_NUM_THREADS=1 swift test -c release --skip-build --disable-xctest --filter SweepClusterTests

# The CLI property test at 25× its default counts: 10 375 random option sets (magnitudes from
# 10^±150, extreme and malformed sample files) through every subcommand; fails on any crash, hang,
# NaN, ∞ or value out of range. One line per run goes to .build/fuzz.log; the counts are printed.
fuzz: deps
	swift build -c release --build-tests -Xswiftc -enable-testing
	rm -f .build/fuzz.log && touch .build/fuzz.log
	OPENBLAS_NUM_THREADS=1 MANIFOLDLAB_PROPERTY_SCALE=$${FUZZ_SCALE:-25} MANIFOLDLAB_PROPERTY_SEED=$${FUZZ_SEED:-0} \
	  MANIFOLDLAB_PROPERTY_LOG=$(CURDIR)/.build/fuzz.log \
	  swift test -c release --skip-build --disable-xctest --filter 'CLIPropertyTests/property'; \
	  status=$$?; bash Tests/fuzz-summary.sh .build/fuzz.log; exit $$status

bench: EXTRA_PACKAGES = python3-venv
bench: build
	bash bench/run.sh

experiments: EXTRA_PACKAGES = gnuplot-nox parallel jq
experiments: build
	bash experiments/run-all.sh $(if $(JOBS),--jobs $(JOBS),)

clean:
	rm -rf .build
