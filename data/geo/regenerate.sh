#!/usr/bin/env bash
# Regenerates countries-110m.json: Natural Earth 1:110m countries (public domain) as TopoJSON,
# from the npm package world-atlas (ids are ISO 3166-1 numeric codes). Needs npm and the registry.
set -euo pipefail
cd "$(dirname "$0")"
version="2.0.2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "world-atlas@${version}" >/dev/null && tar -xzf "world-atlas-${version}.tgz")
cp "$work/package/countries-110m.json" countries-110m.json
cp "$work/package/LICENSE" LICENSE.world-atlas
echo "world-atlas ${version}: $(wc -c < countries-110m.json) bytes -> data/geo/countries-110m.json"
