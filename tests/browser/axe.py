"""axe-core inside Playwright: `assert_accessible(page)` checks the page the browser shows now.

axe-core comes from npm at test time (`scripts/system-deps.sh test`, pinned, into var/node/), never
from a CDN and never committed. Without it the check is skipped with the reason, except in CI
(`CI=true`), where a missing checker is a failure: a pass must mean the pages were checked.

    from tests.browser.axe import assert_accessible

    page.goto(f"{live_server.url}/ho-so-cua-toi/")
    assert_accessible(page)
"""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = Path(os.environ.get("AXE_JS", ROOT / "var/node/node_modules/axe-core/axe.min.js"))

# What issue 11 forbids: a violation of these impacts fails; "minor" and "moderate" are reported
# by axe but do not fail the check.
FAILING = ("serious", "critical")

# Rules checked: WCAG 2.0/2.1 A and AA, and axe's best practices (landmarks, one main, headings).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_path() -> Path:
    """The axe-core script, or a skip (a failure in CI) saying how to get it."""
    if AXE_JS.is_file():
        return AXE_JS
    reason = (
        f"axe-core not found at {AXE_JS} "
        "(`scripts/system-deps.sh test` installs it from npm; `make test` runs that)"
    )
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def violations(page, *, impacts=FAILING) -> list[dict]:
    """axe.run() on the whole document: the violations whose impact is one of `impacts`."""
    path = axe_path()
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(path))
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                               resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), impact: n.impact,
                                          summary: n.failureSummary})),
            }));
        }""",
        TAGS,
    )
    return [v for v in result if v["impact"] in impacts]


def describe(found: list[dict]) -> str:
    """One readable line per rule and per offending element."""
    lines = []
    for v in found:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


def assert_accessible(page, *, impacts=FAILING) -> None:
    """Fails with the list of serious or critical axe-core violations of the current page."""
    found = violations(page, impacts=impacts)
    if found:
        width = page.viewport_size["width"] if page.viewport_size else "?"
        pytest.fail(
            f"axe-core: {len(found)} rule(s) violated on {page.url} at {width} px:\n"
            + describe(found),
            pytrace=False,
        )
