#!/usr/bin/env bash
# Times Chapter 5's MLP and CNN epochs at the commits that made them faster and
# writes one record per step and network, records/bench/epochs-<mlp|cnn>-<label>.json,
# for the book to quote ("Making it fast", Chapter 5). Each commit's own
# examples/bench_epochs.rs is built and run (older ones cannot write records:
# their printed "run k: S s/epoch" lines are read instead). Slow (release builds
# and several minutes of training): not part of the test command. Run it on a
# quiet machine.
#
#   bash benches/history.sh ../shared/data/mnist
#
# HISTORY_TARGET=DIR keeps the builds there (else a temporary folder);
# BUILD_ONLY=1 builds without measuring.
set -euo pipefail
cd "$(dirname "$0")/.."
data_dir=$(cd "${1:?usage: benches/history.sh MNIST_DIR}" && pwd)
out=$PWD/records/bench
mkdir -p "$out"
work=$(mktemp -d)
trap 'git worktree remove --force "$work/tree" 2>/dev/null || true; rm -rf "$work"' EXIT

# label, commit, RUSTFLAGS ("-" means the commit's own .cargo/config.toml)
steps=(
  "baseline e2270d0 -Ctarget-cpu=x86-64"
  "first-layer c765903 -Ctarget-cpu=x86-64"
  "native df8eea0 -"
  "dropout-mask HEAD -"
)

# The JSON record of one network's runs, from bench_epochs' printed lines.
to_record() { # label commit model lines-file
  python3 - "$@" <<'EOF'
import json, os, re, statistics, sys, time
label, commit, model, path = sys.argv[1:5]
runs = [float(m.group(1)) for m in
        (re.match(rf"{model.upper()} run \d+: ([0-9.]+) s/epoch", l) for l in open(path)) if m]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
print(json.dumps({
    "label": label, "commit": commit, "model": model,
    "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "cpu": cpu, "cores": os.cpu_count(), "load_average_after": os.getloadavg()[0],
    "seconds_per_epoch": runs, "median": statistics.median(runs), "min": min(runs), "max": max(runs),
}, indent=2))
EOF
}

for step in "${steps[@]}"; do
  read -r label commit flags <<< "$step"
  sha=$(git rev-parse --short "$commit")
  git worktree add -q --detach "$work/tree" "$sha"
  echo "==> $label ($sha, RUSTFLAGS: $flags)"
  target="${HISTORY_TARGET:-$work}/target-$label"
  if [ "$flags" = - ]; then env=(); else env=(RUSTFLAGS="$flags"); fi
  (cd "$work/tree" && env CARGO_TARGET_DIR="$target" "${env[@]}" \
     cargo build --quiet --release --example bench_epochs)
  bin="$target/release/examples/bench_epochs"
  git worktree remove --force "$work/tree"
  [ -n "${BUILD_ONLY:-}" ] && continue
  "$bin" --data-dir "$data_dir" --model mlp --epochs 2 --runs 5 2>/dev/null | tee "$work/mlp.txt" | tail -n 1
  to_record "$label" "$sha" mlp "$work/mlp.txt" > "$out/epochs-mlp-$label.json"
  "$bin" --data-dir "$data_dir" --model cnn --limit 12800 --runs 3 2>/dev/null | tee "$work/cnn.txt" | tail -n 1
  to_record "$label" "$sha" cnn "$work/cnn.txt" > "$out/epochs-cnn-$label.json"
  if [ "$label" = dropout-mask ]; then # the last step also times the MLP at batch 128
    "$bin" --data-dir "$data_dir" --model mlp --epochs 2 --runs 5 --mlp-batch-size 128 2>/dev/null \
      | tee "$work/mlp128.txt" | tail -n 1
    to_record "$label" "$sha" mlp "$work/mlp128.txt" > "$out/epochs-mlp128-$label.json"
  fi
done
