# Multi-stage build on Debian bookworm: the build stage installs the same packages as `make test`
# (scripts/install-deps.sh) and builds with the same CMake preset; the runtime stage carries only the
# binary, its shared libraries, the chat page and the default config, and runs as a non-root user.
FROM debian:bookworm AS build
WORKDIR /src
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN scripts/install-deps.sh --no-browser --no-fuzz --no-test-servers && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cmake --preset default -DCALRT_BUILD_TESTS=OFF -DCALRT_BUILD_BENCH=OFF \
 && cmake --build --preset default --target calendly-realtime

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl tzdata libssl3 libfmt9 libspdlog1.10 libsqlite3-0 libpq5 libcurl4 libdate-tz3 libtcmalloc-minimal4 \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin calrt
WORKDIR /app
COPY --from=build /src/build/calendly-realtime /usr/local/bin/calendly-realtime
COPY web/ /app/web/
COPY config/ /app/config/
# A bind-mounted data directory must be writable by this uid (10001): `chown 10001 DIR` on the host.
RUN mkdir -p /app/data && chown calrt:calrt /app/data
USER calrt
# Docker stops a container 10 s after SIGTERM by default: a 7 s grace leaves the service time to
# close its sessions and run out of work before it would be killed (or raise --stop-timeout).
ENV HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data \
    WEB_ROOT=/app/web \
    SHUTDOWN_GRACE_MS=7000
EXPOSE 3000
VOLUME ["/app/data"]
# Shell form, so ${PORT} is the container's own (a `-e PORT=3001` service is checked on 3001).
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PORT:-3000}/healthz" >/dev/null || exit 1
ENTRYPOINT ["calendly-realtime"]
