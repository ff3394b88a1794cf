#!/bin/sh
# A stand-in for `docker` for `wrangler deploy --dry-run` where no Docker engine runs (CI, this
# repository's dev machines): wrangler 4.86 calls `docker info` and `docker build` even in a dry
# run. Use it through WRANGLER_DOCKER_BIN (npm run deploy:dry-run). It builds nothing: the image
# is built by a real `wrangler deploy` on a machine with Docker.
case "$1" in
  info | version) echo "docker stand-in (no engine): nothing is built" ;;
  image) echo '[{"Config":{"ExposedPorts":{"8788/tcp":{}}},"Size":0}]' ;;
  *) ;;
esac
exit 0
