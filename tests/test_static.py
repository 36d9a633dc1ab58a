"""The hand-written static files stay well-formed: a brace lost in a merge turns the rest of
app.css into one media query (desktop pages lose their styles), and a broken app.js stops every
in-place update."""

import shutil
import subprocess

from webapp.config import ROOT

STATIC = ROOT / "static"


def test_app_css_braces_balance_rule_by_rule():
    depth = 0
    for number, line in enumerate((STATIC / "app.css").read_text().splitlines(), start=1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"app.css line {number} closes a brace nobody opened"
    assert depth == 0, "app.css leaves a block open: everything after it is inside it"


def test_app_js_parses():
    node = shutil.which("node")
    assert node, "Node.js is needed for the tests (make test installs axe-core with npm too)"
    checked = subprocess.run([node, "--check", str(STATIC / "app.js")], capture_output=True)
    assert checked.returncode == 0, checked.stderr.decode()
