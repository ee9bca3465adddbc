#!/usr/bin/env bash
# Removes the answers from the book in a copy of the repository: the solution
# and instructor pages, their table-of-contents entries, their search settings,
# and the links to the full repository (which holds the solutions). Used for
# the student edition (scripts/book.sh student) and the student repository
# (scripts/student-repo.sh). chapters/ and book.toml must be real copies.
#
#   scripts/strip-answers.sh <copy>
set -euo pipefail
cd "${1:?usage: scripts/strip-answers.sh <copy of the repository>}"

rm -rf chapters/solutions chapters/instructors
grep -v -E '\]\((solutions|instructors)/' chapters/SUMMARY.md > SUMMARY.tmp
mv SUMMARY.tmp chapters/SUMMARY.md
awk '/^\[output\.html\.search\.chapter\]/ { skip = 1; next }
     /^\[/ { skip = 0 }
     !skip && !/^(git-repository-url|edit-url-template) =/' book.toml > book.tmp
mv book.tmp book.toml
