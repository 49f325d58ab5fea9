#!/usr/bin/env bash
# Mutation testing of the pure modules against the unit tier (configured in pyproject.toml,
# [tool.mutmut]; see docs/testing.md). Prints the surviving mutants and the score.
#   scripts/mutation.sh            run (incremental: a second run retests only what changed)
#   scripts/mutation.sh --fresh    throw away earlier results first
#   scripts/mutation.sh "workshop.kinds*"   only these mutants (names are globs; saves time)
# Show one survivor: .venv/bin/mutmut show NAME   Browse: .venv/bin/mutmut browse
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
if [ "${1:-}" = --fresh ]; then rm -rf mutants; shift; fi
mkdir -p mutants
if ! .venv/bin/mutmut run --max-children "${MUTMUT_CHILDREN:-2}" "$@" > mutants/run.log 2>&1; then
  tr '\r' '\n' < mutants/run.log | grep -v '^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]' | tail -40
  echo "mutmut run failed (the log: mutants/run.log)" >&2
  exit 1
fi
.venv/bin/mutmut results --all true > mutants/results.txt 2>/dev/null || .venv/bin/mutmut results > mutants/results.txt
.venv/bin/python - <<'PY'
import collections, re, sys
per_module = collections.defaultdict(collections.Counter)
survivors = []
for line in open("mutants/results.txt", encoding="utf-8"):
    m = re.match(r"\s*(workshop\.[\w.]+?)\.x.*?__mutmut_\d+: (.+)", line)
    if m:
        per_module[m.group(1)][m.group(2).strip()] += 1
        if m.group(2).strip() == "survived":
            survivors.append(line.split(":")[0].strip())
print("\n".join(survivors) + "\n")
total = collections.Counter()
for module, c in sorted(per_module.items()):
    total += c
    killed, n = c["killed"] + c["timeout"], sum(c.values())
    print(f"{module:24} {killed}/{n} = {100 * killed / n:.1f}%  ({dict(c)})")
killed, n = total["killed"] + total["timeout"], sum(total.values())
if not n or total["not checked"] == n:
    sys.exit("no mutant was checked: see mutants/run.log")
print(f"mutation score: {killed}/{n} = {100 * killed / n:.1f}% (killed or timed out; survivors listed above)")
PY
