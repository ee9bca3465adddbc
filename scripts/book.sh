#!/usr/bin/env bash
# Builds the book: figures, then mdBook with KaTeX, then the rendered-HTML checks.
#
#   scripts/book.sh            build the full book into book/html
#   scripts/book.sh serve      build, then serve it at http://127.0.0.1:3000 (rebuilds on edits)
#   scripts/book.sh student    build the student edition (no solutions, no instructor notes) into book/student
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-build}"
# cargo install puts the tools here; make sure we find them even if the shell
# profile that adds it to PATH has not run (CI, a fresh container).
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
bash scripts/setup.sh

# The interactive demos (web/): scratchnet compiled to WebAssembly, embedded
# base64-encoded in a script, since a page opened from file:// may not fetch()
# a .wasm file. chapters/demos/ is git-ignored, like chapters/figures/.
echo "==> building the demos (web/, WebAssembly)"
cargo build --quiet -p web --profile wasm --target wasm32-unknown-unknown
wasm="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/wasm/web.wasm"
mkdir -p chapters/demos
{ printf 'var SCRATCHNET_WASM = "%s";\n' "$(base64 -w0 "$wasm")"; cat web/js/loader.js; } \
  > chapters/demos/scratchnet-web.js
cp web/js/digit.js web/js/playground.js web/js/tiny.js chapters/demos/
echo "web.wasm: $(stat -c %s "$wasm") bytes; chapters/demos/: $(du -cb chapters/demos/*.js | tail -n 1 | cut -f 1) bytes"

echo "==> drawing figures"
cargo xtask figures chapters/figures

# mdbook-katex only warns when a formula fails to render, and mdBook only
# warns on a missing include: treat every warning as an error, except the
# harmless notice that mdbook-katex was built against mdbook 0.5.3.
build() { # <book root> <output dir>
  local log
  log=$(mktemp)
  if ! mdbook build "$1" -d "$2" >"$log" 2>&1; then
    cat "$log"; echo "mdbook build failed"; exit 1
  fi
  if grep -E 'WARN|ERROR' "$log" | grep -v 'was built against mdbook' ; then
    echo "mdbook printed the warnings above: fix them (a LaTeX error, a missing include or anchor...)"
    exit 1
  fi
  rm -f "$log"
}

case "$mode" in
  build|serve)
    echo "==> building the book"
    build . "$PWD/book/html"
    cargo xtask check-html book/html
    if [ "$mode" = serve ]; then
      echo "==> serving at http://127.0.0.1:3000 (Ctrl-C to stop)"
      exec mdbook serve -n 127.0.0.1 -p 3000 -d "$PWD/book/html"
    fi
    echo "The book is in book/html/index.html"
    ;;
  student)
    echo "==> building the student edition"
    # A copy of the book without the answer folders; every other top-level
    # folder is linked so that {{#include ../...}} paths still resolve.
    stage="$PWD/book/.student-stage"
    rm -rf "$stage" && mkdir -p "$stage"
    for f in *; do
      case "$f" in chapters|book|target|book.toml) ;; *) ln -s "$PWD/$f" "$stage/$f" ;; esac
    done
    cp -r chapters book.toml "$stage/"
    bash scripts/strip-answers.sh "$stage"
    build "$stage" "$PWD/book/student"
    cargo xtask check-html book/student --student
    echo "The student edition is in book/student/index.html"
    ;;
  *)
    echo "usage: scripts/book.sh [build|serve|student]"; exit 2 ;;
esac
