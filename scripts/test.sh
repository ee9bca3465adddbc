#!/usr/bin/env bash
# Runs every test of the project: formatting and lints, the library's unit
# tests and gradient checks, the chapters' code blocks as doctests, every
# example (built and run), the exercises (solutions pass, starters fail), both
# editions of the book with their rendered-HTML checks, and the book's interactive
# demos in headless Chromium (where it is installed).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { echo; echo "==> $* ($(date -u +%T))"; }

# A student repository (scripts/student-repo.sh) has no reference solutions.
have_solutions=true
[ -d exercises/solutions ] || have_solutions=false

step "formatting and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
if $have_solutions; then
  cargo clippy --package exercises --all-targets --features solutions -- -D warnings
fi
RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps --workspace

step "library, gradient checks, chapter doctests, examples"
cargo test --workspace --exclude exercises

step "every chapter's example runs"
# Examples that train on MNIST read it from ../shared/data/mnist where that
# exists (this project's machines and CI); elsewhere from $SCRATCHNET_DATA or
# the cache, downloading it if needed (about 11 MB).
mnist_args=()
if [ -d ../shared/data/mnist ]; then
  mnist_args=(--data-dir ../shared/data/mnist)
  # Also for the student repository's run below, and for tests that look for MNIST.
  export SCRATCHNET_DATA="${SCRATCHNET_DATA:-$(cd ../shared/data && pwd)}"
fi
for example in examples/*.rs; do
  name=$(basename "$example" .rs)
  args=()
  case "$name" in ch05_mnist_* | ch08_trends | ch09_troubleshooting | bench_epochs | ch07_data_parallel) args=("${mnist_args[@]}") ;; esac
  # The CNN's full run takes many minutes: here, one short epoch proves it runs.
  case "$name" in ch05_mnist_cnn) args+=(--limit 2560 --epochs 1) ;; esac
  # The benchmark's real measurement is long (benches/records/epochs.md): here, one short run of each network.
  case "$name" in bench_epochs) args+=(--limit 1280 --runs 1) ;; esac
  # Chapter 7's two trainings, short: the check that they agree is the same as in the full run.
  case "$name" in ch07_data_parallel) args+=(--limit 3200 --epochs 1) ;; esac
  # Chapter 6's two demonstrations, short: fewer images, words and epochs.
  case "$name" in ch06_shapes) args+=(--model cnn --train 600 --test 200 --epochs 1) ;; esac
  case "$name" in ch06_text) args+=(--limit 300 --epochs 3) ;; esac
  # Chapter 8's full measurement takes minutes (10 000 images through both models): here, 200.
  case "$name" in ch08_trends) args+=(--limit 200) ;; esac
  echo "--- cargo run --release --example $name -- ${args[*]}"
  out="${CARGO_TARGET_DIR:-target}/example-$name.txt"
  cargo run --quiet --release --example "$name" -- "${args[@]}" > "$out"
  tail -n 3 "$out"
done

# Chapter 9 quotes the troubleshooting example's MNIST run: it must come out again
# (bit for bit on this kind of processor, like tests/ch05_records.rs).
if [ -d ../shared/data/mnist ]; then
  fresh="${CARGO_TARGET_DIR:-target}/ch09-troubleshooting.json"
  cargo run --quiet --release --example ch09_troubleshooting -- --data-dir ../shared/data/mnist \
    --record "$fresh" > /dev/null
  diff records/ch09/troubleshooting.json "$fresh" && echo "records/ch09/troubleshooting.json reproduced"
fi

step "examples reject invalid options with usage help and exit code 2"
bin="${CARGO_TARGET_DIR:-target}/release/examples"
for bad in "--epochs 0" "--lr -1" "--lr nan" "--batch-size 0" "--dataset cifar" \
           "--early-stopping 3" "--schedule step --warmup 10" "--early-stopping 0 --validation 10" \
           "--resume run.ckpt --early-stopping 3 --validation 10" "--checkpoint a.ckpt --save a.ckpt"; do
  # shellcheck disable=SC2086 # the options are meant to split
  if "$bin/ch05_mnist_mlp" $bad > /dev/null 2> "$bin/usage.txt"; then code=0; else code=$?; fi
  if [ "$code" != 2 ] || ! grep -q -- "--help" "$bin/usage.txt"; then
    cat "$bin/usage.txt"; echo "ch05_mnist_mlp $bad: exit code $code, expected 2 with usage help"; exit 1
  fi
done
echo "ch05_mnist_mlp: every invalid option gives usage help and exit code 2"

step "exercises: the reference solutions pass every check"
if $have_solutions; then
  cargo test --package exercises --features solutions
else
  echo "skipped: this is a student repository, without exercises/solutions"
fi

step "exercises: the starters are up to date and fail every check"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1 && ! git diff --quiet HEAD -- exercises/src; then
  # A learner's answers live in exercises/src: never touch them. CI runs
  # this step on a clean clone.
  echo "skipped: exercises/src holds your answers (these checks need the untouched starters;"
  echo "CI runs them on a clean clone, and 'git stash' lets you run them here)"
else
  if $have_solutions; then cargo xtask exercises --check; fi
  out=$(cargo test --package exercises --no-fail-fast 2>&1 || true)
  if echo "$out" | grep -E 'test result: .* [1-9][0-9]* passed' ; then
    echo "$out" | grep -E '^test .* ok$' || true
    echo "an untouched starter passes a check: that check does not test the exercise"; exit 1
  fi
  echo "$out" | grep -E '^test result' | sed 's/^/starters: /'
fi

step "generated pages: Appendix H's \"Cited in\" lists and the instructors' exercise index"
# A student repository has neither the answer pages these name nor the index.
if $have_solutions; then
  cargo xtask bibliography --check
  cargo xtask exercise-index --check
else
  echo "skipped: this is a student repository, without the answer pages"
fi

step "the book, full and student editions, with rendered-HTML checks"
bash scripts/book.sh build
bash scripts/book.sh student

step "the interactive demos in a real browser (headless Chromium)"
# Each demo's page runs its self-test (web/js/, ?selftest=NAME) and the result is
# compared with the native one: MNIST test digits drawn on Chapter 5's canvas,
# optimizer paths on Chapter 4's surfaces. CI installs Chromium (.ci/run).
if command -v "${CHROMIUM:-chromium}" >/dev/null 2>&1; then
  cargo xtask browser-test book/html
else
  echo "SKIPPED: no 'chromium' on PATH, so the demos were not run in a browser"
  echo "(install it, e.g. apt-get install chromium, or set CHROMIUM to its path)"
fi

if $have_solutions && git rev-parse --verify --quiet HEAD >/dev/null; then
  step "a student repository (scripts/student-repo.sh, from HEAD) passes its own test command"
  tmp=$(mktemp -d)
  # A target directory of its own: cargo names a workspace's artifacts
  # independently of where the workspace lives, so sharing ours would let
  # the two trees overwrite each other's test binaries.
  target="${CARGO_TARGET_DIR:-$PWD/target}/student-repo"
  bash scripts/student-repo.sh "$tmp/repo"
  if ! (cd "$tmp/repo" && CARGO_TARGET_DIR="$target" \
        bash scripts/test.sh > "$tmp/log" 2>&1); then
    tail -n 40 "$tmp/log"; echo "the student repository fails its tests (log: $tmp/log)"; exit 1
  fi
  tail -n 1 "$tmp/log"
  rm -rf "$tmp"
fi

echo
echo "All checks passed."
