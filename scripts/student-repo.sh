#!/usr/bin/env bash
# Exports a copy of this repository for students: no reference solutions, no
# solution pages, no instructor's guide, and no git history that could hold
# them. The copy builds its book, runs its tests and passes its own
# ./scripts/test.sh; students fill in exercises/src/ as usual.
#
#   scripts/student-repo.sh <new directory>
set -euo pipefail
cd "$(dirname "$0")/.."

dest="${1:?usage: scripts/student-repo.sh <new directory>}"
if [ -e "$dest" ]; then
  echo "$dest already exists: choose a new directory"; exit 2
fi
mkdir -p "$dest"

# The committed files only (what a fresh clone holds), without history.
git archive --format=tar HEAD | tar -x -C "$dest"

bash scripts/strip-answers.sh "$dest"
cd "$dest"
rm -rf exercises/solutions
# The chapter doctests without the removed pages.
grep -v -E '=> "(solutions|instructors)/' src/book.rs > book.tmp && mv book.tmp src/book.rs

git init --quiet
git add --all
git -c user.name="student-repo.sh" -c user.email="student-repo@localhost" \
  commit --quiet -m "Deep Learning from Scratch, in Rust: student repository"
echo "Student repository written to $dest (one commit, no solutions)."
