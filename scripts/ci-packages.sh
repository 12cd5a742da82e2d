#!/usr/bin/env bash
# CI after the tests: the packages as a user gets them. Packs every public package, then sets up
# three apps outside the checkout exactly as docs/guides/deployment.md says (its `app-setup` block),
# installs the tarballs, runs the README's library example, `face-liveness analyze` and `doctor`
# there, and fails on anything missing or on any "npm warn". Prints each app's installed size.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
shared="${FACE_LIVENESS_SHARED:-$repo/../shared}"
video="$shared/data/replay-one-subject/videos/real.mp4"
image="$shared/data/msu-mfsd-train/real/real_client002_android_SD_scene01.jpg"
work="$(mktemp -d /tmp/face-liveness-apps.XXXXXX)"
packs=/tmp/face-liveness-packages # the guide's folder
trap 'rm -rf "$work"' EXIT

# The fenced block whose info string has $2, from markdown file $1.
block() { awk -v tag="$2" '/^```/ { if (on) exit; if (index($0, tag)) { on = 1; next } } on' "$1"; }
# Runs "$@" and fails when npm warned: a user would see it too.
no_warn() {
  local log="$work/npm.log"
  "$@" >"$log" 2>&1 || { cat "$log"; return 1; }
  if grep -i 'npm warn' "$log"; then echo "npm warned during: $*" >&2; return 1; fi
}

cd "$repo"
node scripts/pack.mjs "$packs" >/dev/null
setup="$(block docs/guides/deployment.md app-setup)"
example="$(block README.md library-example)"
[ -n "$setup" ] && [ -n "$example" ] || { echo "deployment.md app-setup or README library-example block not found" >&2; exit 1; }

# app name, then the packages it asks for (scripts/pack.mjs adds what they depend on)
app() {
  local name="$1" dir="$work/$1"
  shift
  mkdir -p "$dir"
  local install
  install="$(node "$repo/scripts/pack.mjs" "$packs" --print "$@")"
  (cd "$dir" && no_warn bash -euo pipefail -c "${setup//npm install \/tmp\/face-liveness-packages\/\*.tgz/$install}")
}
size() { du -sh "$work/$1/node_modules" | cut -f1; }

app pipeline-only pipeline
app pipeline-cli pipeline cli
app training pipeline cli
# The training extras (plots, Keras import) as an app names them; the CLI depends on them already.
(cd "$work/training" && no_warn npm install @napi-rs/canvas h5wasm)

# The README's library example, in the pipeline-only app (an .mjs file: it is plain JavaScript).
cd "$work/pipeline-only"
cp "$image" selfie.jpg
ffmpeg -v error -t 2 -i "$video" -c copy clip.mp4
printf '%s\n' "$example" >example.mjs
node example.mjs
full_size="$(size pipeline-only)"
# The guide's Linux-only pruning, then the example again.
prune="$(block "$repo/docs/guides/deployment.md" linux-prune)"
[ -n "$prune" ] || { echo "deployment.md linux-prune block not found" >&2; exit 1; }
bash -euo pipefail -c "$prune"
node example.mjs >/dev/null

cd "$work/pipeline-cli"
npx --no-install face-liveness doctor
npx --no-install face-liveness analyze "$video"
# MiniFASNet by name from the models its package ships (no FACE_LIVENESS_MINIFASNET_DIR).
env -u FACE_LIVENESS_MINIFASNET_DIR npx --no-install face-liveness analyze -m minifasnet "$image"

# Training from the app: one epoch on a few crops.
cd "$work/training"
for label in real fake; do
  mkdir -p "faces/$label"
  # an array, not `| head`: head's early exit would be a SIGPIPE failure under pipefail
  mapfile -t crops < <(find "$shared/data/replay-one-subject/$label" -type f | sort)
  cp "${crops[@]:0:8}" "faces/$label/"
done
npx --no-install face-liveness train -d faces -dv faces -m model -e 1 -b 4 --seed 1 >/dev/null
test -f model/model.json
echo "installed sizes (du of node_modules): pipeline only $full_size ($(size pipeline-only) Linux-only pruned)," \
  "pipeline + cli $(size pipeline-cli), + training $(size training)"
echo "packages: pack, install, library example, analyze, doctor and train passed"
