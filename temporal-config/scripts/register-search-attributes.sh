#!/bin/sh
# One-shot job for docker-compose.yml: registers the custom search attributes every persona tick
# carries (lib/temporal/search-attributes.ts: PersonaId, Archetype, Cadence, all Keyword) so the Web
# UI can filter ticks by persona, archetype and cadence. Idempotent: only missing ones are created.
# The worker checks them too at start (ensureSearchAttributes in lib/temporal/connect.ts) and adds
# missing ones, failing if it cannot; registering them here keeps that a no-op.
set -eu

NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"
: "${SEARCH_ATTRIBUTES:?SEARCH_ATTRIBUTES (space-separated Keyword attribute names) is required}"

existing="$(temporal operator search-attribute list --namespace "$NAMESPACE" --address "$ADDRESS")"
for name in $SEARCH_ATTRIBUTES; do
  if printf '%s\n' "$existing" | grep -qw -- "$name"; then
    echo "search attribute ${name} already registered in ${NAMESPACE}"
  else
    temporal operator search-attribute create --namespace "$NAMESPACE" --address "$ADDRESS" \
      --name "$name" --type Keyword
    echo "search attribute ${name} (Keyword) registered in ${NAMESPACE}"
  fi
done
