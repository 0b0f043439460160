# The README's two commands: `make run` and `make test`. Each installs what is missing first.
PRESET ?= default
ARGS ?=
BUILD_JOBS ?= $(shell nproc)
# `make fuzz`: each target for FUZZ_SECONDS, or for FUZZ_RUNS inputs when that is set, growing the
# corpus kept in FUZZ_WORK (not committed). FUZZ_TARGETS: some targets only (default: all).
FUZZ_SECONDS ?= 300
FUZZ_RUNS ?=
FUZZ_WORK ?= fuzz-work
FUZZ_TARGETS ?=

.PHONY: run test test-plain test-asan test-fuzz fuzz deps deps-fuzz deps-service build build-asan bench format clean

# Running the service needs no browser: Chromium and the npm packages are for the browser test.
# Without credentials (sandbox mode) it serves a sandbox organization of four hosts with team
# meetings; `make run SANDBOX_ORGANIZATION=false` serves one host. With credentials it is ignored.
SANDBOX_ORGANIZATION ?= true
run: deps-service build
	SANDBOX_ORGANIZATION=$(SANDBOX_ORGANIZATION) ./build/calendly-realtime $(ARGS)

test: deps test-plain test-asan test-fuzz

test-plain: build
	ctest --preset default

test-asan: build-asan
	ctest --preset asan

# Short libFuzzer runs of every target (fuzz/, clang with ASan+UBSan); fails on any crash.
test-fuzz:
	scripts/run-fuzz.sh 20000

# Long libFuzzer runs, one target after the other; prints each target's executions and fails on any
# crash (the input is kept in $(FUZZ_WORK)).
fuzz: deps-fuzz
	scripts/run-fuzz.sh $(if $(FUZZ_RUNS),--runs $(FUZZ_RUNS),--seconds $(FUZZ_SECONDS)) \
	  --work $(FUZZ_WORK) $(foreach t,$(FUZZ_TARGETS),--only $(t))

deps:
	@scripts/install-deps.sh

deps-fuzz:
	@scripts/install-deps.sh --no-browser --no-test-servers

deps-service:
	@scripts/install-deps.sh --no-browser --no-fuzz --no-test-servers

build:
	@[ -f build/build.ninja ] || cmake --preset default
	cmake --build --preset default -j $(BUILD_JOBS)

build-asan:
	@[ -f build-asan/build.ninja ] || cmake --preset asan
	cmake --build --preset asan -j $(BUILD_JOBS)

bench: deps-service build
	@scripts/install-deps.sh --bench --no-browser --no-fuzz --no-test-servers
	scripts/run-benchmarks.sh

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf build build-asan build-fuzz
