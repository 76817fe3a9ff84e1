#!/usr/bin/env bash
# Rebuild ../frontend/editor.js, the console's Cypher editor: CodeMirror 6 from npm, bundled once with esbuild
# into one file that is committed (the app never fetches anything). Run by hand after changing editor.src.js
# or the versions in package.json; not run in CI. Needs node and npm; installs into a temporary folder so the
# working tree gets no node_modules. package-lock.json is written back beside package.json.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/editor.src.js" "$work/"
[[ -f "$here/package-lock.json" ]] && cp "$here/package-lock.json" "$work/"
cd "$work"
if [[ -f package-lock.json ]]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
npx esbuild editor.src.js --bundle --minify --format=iife --target=es2020 --legal-comments=eof \
    --outfile="$here/../frontend/editor.js"
cp package-lock.json "$here/package-lock.json"
echo "wrote $here/../frontend/editor.js ($(wc -c < "$here/../frontend/editor.js") bytes)"
