#!/usr/bin/env bash
# Installs the pinned book tools if they are missing. Needs only a Rust toolchain.
# mdbook-katex 0.10.0 renders math with KaTeX 0.16.4, whose CSS and fonts are
# vendored in chapters/katex/. The interactive demos (web/) compile the
# library to WebAssembly: rustup's wasm32-unknown-unknown target.
set -euo pipefail

MDBOOK_VERSION=0.5.4
MDBOOK_KATEX_VERSION=0.10.0

have() { command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -q "$2"; }

if ! have mdbook "v$MDBOOK_VERSION"; then
  echo "==> installing mdbook $MDBOOK_VERSION (a few minutes, once)"
  cargo install --locked "mdbook@$MDBOOK_VERSION"
fi
if ! have mdbook-katex "$MDBOOK_KATEX_VERSION"; then
  echo "==> installing mdbook-katex $MDBOOK_KATEX_VERSION (a few minutes, once)"
  cargo install --locked "mdbook-katex@$MDBOOK_KATEX_VERSION"
fi
if command -v rustup >/dev/null 2>&1 && ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "==> adding the wasm32-unknown-unknown target (the book's demos)"
  rustup target add wasm32-unknown-unknown
fi
