# The README's two commands: `make run` and `make test`. Each installs what is missing first.
PRESET ?= default
ARGS ?=
BUILD_JOBS ?= $(shell nproc)

.PHONY: run test test-plain test-asan test-fuzz deps deps-service build build-asan bench format clean

# Running the service needs no browser: Chromium and the npm packages are for the browser test.
run: deps-service build
	./build/calendly-realtime $(ARGS)

test: deps test-plain test-asan test-fuzz

test-plain: build
	ctest --preset default

test-asan: build-asan
	ctest --preset asan

# Short libFuzzer runs of the webhook parsers (clang); skipped when clang is not installed.
test-fuzz:
	scripts/run-fuzz.sh 20000

deps:
	@scripts/install-deps.sh

deps-service:
	@scripts/install-deps.sh --no-browser

build:
	@[ -f build/build.ninja ] || cmake --preset default
	cmake --build --preset default -j $(BUILD_JOBS)

build-asan:
	@[ -f build-asan/build.ninja ] || cmake --preset asan
	cmake --build --preset asan -j $(BUILD_JOBS)

bench: deps-service build
	@scripts/install-deps.sh --bench --no-browser
	scripts/run-benchmarks.sh

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf build build-asan
