"""Every registered question kind is complete: a browser renderer that registers itself, an
export section and a section in docs/architecture.md; the pages load every renderer; the
views' scripts ask the registry instead of branching on a kind's name."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import need
from workshop.kinds import KINDS

ROOT = Path(__file__).resolve().parents[2]
KINDS_JS = ROOT / "static" / "js" / "kinds"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
# What phone.js and screen.js call on every kind's renderer (`split`, the role split, is optional).
RENDERER = ("answer", "said", "group", "preview", "results")

LOAD = """
const path = process.argv[1];
global.window = { Workshop: { kinds: {} } };
require(path);
const out = {};
for (const [name, r] of Object.entries(window.Workshop.kinds)) {
  out[name] = Object.keys(r).filter((k) => typeof r[k] === "function");
}
console.log(JSON.stringify(out));
"""


def registered_by(script: Path) -> dict:
    node = shutil.which("node")
    need(node is not None, "node is missing (it is needed for npm ci as well)")
    run = subprocess.run([node, "-e", LOAD, str(script)], capture_output=True, text=True, timeout=20)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_has_a_browser_renderer_that_registers_itself(kind):
    script = KINDS_JS / f"{kind}.js"
    assert script.is_file(), f"{script.relative_to(ROOT)} is missing: a kind needs its browser renderer"
    registered = registered_by(script)
    assert list(registered) == [kind], f"{script.name} must register exactly Workshop.kinds.{kind}"
    missing = [m for m in RENDERER if m not in registered[kind]]
    assert not missing, f"Workshop.kinds.{kind} lacks {missing}"


def test_no_renderer_without_a_kind():
    assert sorted(p.stem for p in KINDS_JS.glob("*.js")) == sorted(KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_defines_its_export_section(kind):
    cls = type(KINDS[kind])
    assert "rows" in vars(cls), f"{cls.__name__} must define rows() (return [] where it has none)"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_has_a_section_in_the_architecture_doc(kind):
    doc = ARCHITECTURE.read_text(encoding="utf-8")
    assert re.search(rf"^#{{2,4}} .*`{kind}`", doc, re.M), f"docs/architecture.md has no section for `{kind}`"


def test_the_phone_and_the_projector_load_every_renderer(client):
    for url in ("/j/123456",):
        html = client.get(url).get_data(as_text=True)
        for kind in KINDS:
            assert f"/static/js/kinds/{kind}.js" in html, f"{url} does not load the {kind} renderer"


def test_the_views_ask_the_registry_and_never_branch_on_a_kind_name():
    names = "|".join(KINDS)
    for script in ("phone.js", "screen.js"):
        source = (ROOT / "static" / "js" / script).read_text(encoding="utf-8")
        found = re.findall(rf"""["']({names})["']|kinds\.({names})\b""", source)
        assert not found, f"static/js/{script} names a kind: {found}"
