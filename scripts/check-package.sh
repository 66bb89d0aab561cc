#!/usr/bin/env bash
# Checks what `npm pack` ships, as a user installs it: into an empty directory, from the tarball,
# then `skiff --version`, `skiff cluster up`, kubectl against it, the TUI's first screen, `down`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
session="skiff-pack-$$"
cleanup() {
  tmux kill-session -t "$session" 2>/dev/null || true
  [ -n "${SKIFF_HOME:-}" ] && [ -x "$work/app/node_modules/.bin/skiff" ] && "$work/app/node_modules/.bin/skiff" cluster down >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

cd "$root"
tarball="$(npm pack --silent --pack-destination "$work" | tail -1)"
echo "packed $tarball ($(du -h "$work/$tarball" | cut -f1))"
if tar -tzf "$work/$tarball" | grep -E '^package/(test|bench|docs|source|node_modules)/' >/dev/null; then
  echo "the package ships files it should not:" >&2
  tar -tzf "$work/$tarball" | grep -E '^package/(test|bench|docs|source)/' | head >&2
  exit 1
fi

mkdir "$work/app"
cd "$work/app"
npm init -y >/dev/null
npm install --prefer-offline --no-audit --no-fund "$work/$tarball" >/dev/null
skiff="$work/app/node_modules/.bin/skiff"
[ "$("$skiff" --version)" = "$(node -p "require('$root/package.json').version")" ] || { echo "skiff --version is wrong" >&2; exit 1; }
echo "skiff --version: ok"

export SKIFF_HOME="$work/home" HOME="$work/userhome"
mkdir -p "$HOME"
unset CI KUBECONFIG
"$skiff" cluster up
kubectl --kubeconfig "$SKIFF_HOME/kubeconfig" get nodes
"$skiff" cluster status
# The install built the native relay and the engine of the bundle loaded it (engine.log says which path).
[ -f "$work/app/node_modules/skiff/native/relay/build/Release/skiff_relay.node" ] || { echo "the install did not build the native relay" >&2; exit 1; }
grep -q 'go through the native relay' "$SKIFF_HOME/engine.log" || { echo "the engine did not load the native relay:" >&2; grep 'service-proxy' "$SKIFF_HOME/engine.log" >&2; exit 1; }
echo "native relay: ok"

tmux new-session -d -s "$session" -x 140 -y 40 "env -u CI SKIFF_HOME=$SKIFF_HOME HOME=$HOME $skiff --command nodes"
for _ in $(seq 1 60); do
  screen="$(tmux capture-pane -p -t "$session" 2>/dev/null || true)"
  if grep -q 'Ready' <<<"$screen"; then break; fi
  sleep 0.5
done
grep -q 'Ready' <<<"$screen" || { echo "the TUI did not show Ready nodes:" >&2; echo "$screen" >&2; exit 1; }
tmux send-keys -t "$session" q
echo "TUI first screen: ok"
"$skiff" cluster down
echo "package check: ok"
