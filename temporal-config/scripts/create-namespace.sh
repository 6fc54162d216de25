#!/bin/sh
# One-shot job for docker-compose.yml: waits until the Temporal server answers, then creates the
# project's namespace if it does not exist yet (temporalio/server, unlike the deprecated auto-setup
# image, creates none). Same pattern as temporalio/samples-server compose/scripts/create-namespace.sh.
set -eu

NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-168h}"
ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"

tries=0
until temporal operator cluster health --address "$ADDRESS" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "the Temporal server at ${ADDRESS} is not healthy after 60 attempts" >&2
    exit 1
  fi
  sleep 2
done

if temporal operator namespace describe --namespace "$NAMESPACE" --address "$ADDRESS" >/dev/null 2>&1; then
  echo "namespace ${NAMESPACE} already exists"
else
  temporal operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION" --address "$ADDRESS"
  echo "namespace ${NAMESPACE} created (retention ${RETENTION})"
fi
