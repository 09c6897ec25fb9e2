# syntax=docker/dockerfile:1
# vigil from source to image, in three parts:
#   build    Node 20: npm ci, the bundle (dist/vigil.js) and the single
#            executable (dist/vigil-linux-x64), which needs no Node to run
#   vigil    FROM scratch, only /vigil: for COPY --from in any glibc image
#   example  (default) gunicorn with 4 workers plus a background worker,
#            supervised by vigil as PID 1 (examples/gunicorn/)
#
#   docker build -t vigil-example .
#   docker build --target vigil -t vigil .
#   docker run --rm -p 8000:8000 vigil-example
#
# In your own image (after `docker build --target vigil -t vigil .`):
#   COPY --from=vigil /vigil /usr/local/bin/vigil
#   COPY supervisord.conf /etc/vigil.conf
#   ENTRYPOINT ["/usr/local/bin/vigil", "-c", "/etc/vigil.conf"]
#
# --build-arg VIGIL_BUILD=prebuilt takes dist/vigil-linux-x64 from the build
# context (`npm run build && npm run build:sea` on the host) instead of
# building it here, for builds where npm cannot reach its registry; NODE_IMAGE
# then only needs a shell.

ARG NODE_IMAGE=node:20-bookworm
ARG PYTHON_IMAGE=python:3.12-slim-bookworm

FROM ${NODE_IMAGE} AS build
# source (default): build here. prebuilt: check and take the context's
# dist/vigil-linux-x64 (a branch inside this stage rather than a stage chosen
# by name: podman's buildah does not expand ARGs in a FROM or COPY --from
# that names a stage).
ARG VIGIL_BUILD=source
# Behind a TLS-intercepting proxy, point Node and npm at a CA bundle mounted
# into the build (e.g. /etc/ssl/certs/ca-certificates.crt); build args that
# are not given stay out of the environment.
ARG NODE_EXTRA_CA_CERTS
ARG npm_config_cafile
WORKDIR /src
# Dependencies first, so that a change in the sources reuses the npm ci layer.
COPY package.json package-lock.json ./
RUN if [ "$VIGIL_BUILD" = source ]; then npm ci --no-audit --no-fund; fi
COPY . .
RUN case "$VIGIL_BUILD" in \
      source) npm run build && npm run build:sea ;; \
      prebuilt) test -x dist/vigil-linux-x64 || { echo "VIGIL_BUILD=prebuilt: no dist/vigil-linux-x64 in the build context; run npm run build && npm run build:sea" >&2; exit 1; } ;; \
      *) echo "VIGIL_BUILD=$VIGIL_BUILD: expected source or prebuilt" >&2; exit 1 ;; \
    esac

FROM scratch AS vigil
COPY --from=build /src/dist/vigil-linux-x64 /vigil

FROM ${PYTHON_IMAGE} AS example
# The python image has no gunicorn; a base that already has it (Debian's
# python3-gunicorn) skips the download.
RUN python3 -c 'import gunicorn' 2>/dev/null || pip install --no-cache-dir 'gunicorn==23.0.0'
# podman kube play runs the Pod's httpGet probes (examples/kubernetes/) as
# `curl -f` inside the container; the python image has no curl (the kubelet
# needs none).
RUN command -v curl >/dev/null || { apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*; }
COPY --from=vigil /vigil /usr/local/bin/vigil
COPY examples/gunicorn/app.py examples/gunicorn/gunicorn.conf.py examples/gunicorn/worker.py examples/gunicorn/critical.conf /app/
COPY examples/gunicorn/vigil.conf /etc/vigil.conf
WORKDIR /app
# gunicorn; vigil's [inet_http_server] (/healthz, /readyz, /metrics)
EXPOSE 8000 9001
# vigil turns SIGTERM into a graceful stop of every program (gunicorn's own
# graceful shutdown included) and exits 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/vigil", "-c", "/etc/vigil.conf"]
