#!/usr/bin/env bash
# Times Chapter 5's MLP and CNN epochs at the commits that made them faster, with
# today's benchmark (examples/bench_epochs.rs copied into each), and writes one
# record per step to records/bench/epochs-<model>-<label>.json for the book to quote
# ("Making it fast", Chapter 5). Slow (three release builds and about ten
# minutes of training): not part of the test command. Run it on a quiet machine.
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
bench=$PWD/examples/bench_epochs.rs
work=$(mktemp -d)
trap 'git worktree remove --force "$work/tree" 2>/dev/null || true; rm -rf "$work"' EXIT

# label, commit, RUSTFLAGS ("" means the repository's own .cargo/config.toml)
steps=(
  "baseline e2270d0 -Ctarget-cpu=x86-64"
  "first-layer c765903 -Ctarget-cpu=x86-64"
  "native HEAD "
)
for step in "${steps[@]}"; do
  read -r label commit flags <<< "$step"
  git worktree add -q --detach "$work/tree" "$commit"
  cp "$bench" "$work/tree/examples/bench_epochs.rs"
  echo "==> $label ($commit${flags:+, RUSTFLAGS=$flags})"
  target="${HISTORY_TARGET:-$work}/target-$label"
  (cd "$work/tree" && env CARGO_TARGET_DIR="$target" ${flags:+RUSTFLAGS=$flags} \
     cargo build --quiet --release --example bench_epochs)
  bin="$target/release/examples/bench_epochs"
  if [ -n "${BUILD_ONLY:-}" ]; then git worktree remove --force "$work/tree"; continue; fi
  "$bin" --data-dir "$data_dir" --model mlp --epochs 2 --runs 5 \
    --label "$label" --record "$out/epochs-mlp-$label.json" 2>/dev/null | tail -n 2
  "$bin" --data-dir "$data_dir" --model cnn --limit 12800 --runs 3 \
    --label "$label" --record "$out/epochs-cnn-$label.json" 2>/dev/null | tail -n 2
  git worktree remove --force "$work/tree"
done
