#!/usr/bin/env bash
# Mutation testing of the pure modules against the unit tier (configured in pyproject.toml,
# [tool.mutmut]; see docs/testing.md). Prints the surviving mutants and the score.
#   scripts/mutation.sh            run (incremental: a second run retests only what changed)
#   scripts/mutation.sh --fresh    throw away earlier results first
# Show one survivor: .venv/bin/mutmut show NAME   Browse: .venv/bin/mutmut browse
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
if [ "${1:-}" = --fresh ]; then rm -rf mutants; fi
.venv/bin/mutmut run --max-children "${MUTMUT_CHILDREN:-2}" >/dev/null || true
.venv/bin/mutmut results --all true > mutants/results.txt 2>/dev/null || .venv/bin/mutmut results > mutants/results.txt
.venv/bin/python - <<'PY'
import collections, re
counts = collections.Counter()
per_file = collections.defaultdict(collections.Counter)
survivors = []
for line in open("mutants/results.txt", encoding="utf-8"):
    m = re.match(r"\s*([\w.]+)__mutmut_\d+: (.+)", line)
    if not m:
        continue
    name, status = m.group(1), m.group(2).strip()
    counts[status] += 1
    per_file[name.split(".x")[0].rsplit(".", 1)[0] if ".x" in name else name][status] += 1
    if status == "survived":
        survivors.append(line.strip().split(":")[0])
total = sum(counts.values())
killed = counts["killed"] + counts["timeout"]
print("\n".join(survivors))
print(f"\n{dict(counts)}")
print(f"mutation score: {killed}/{total} = {100 * killed / max(total, 1):.1f}% (killed or timed out)")
PY
