"""The layout of a `sysabi docs build` site as a reader sees it, measured in Chromium:
where long Whats wrap, where the level badge lands, how wide the text column is.

Needs headless Chromium (``apt-get install -y chromium``); skipped, saying so, without it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser_helpers import browse, chromium, probe_report, serve
from project import write_tree
from sphinx_helpers import entry

pytestmark = pytest.mark.browser

# The longest What of the Linux 6.12 tree, and long ones of one entry: a piece each
# that fits any column, and identifiers that must not be cut ("devi|ce_type").
LONG_WHAT = (
    "/sys/bus/usb/devices/<busnum>-<devnum>:<config num>.<interface num>/<hid-bus>:"
    "<vendor-id>:<product-id>.<num>/kovaplus/roccatkovaplus<minor>/profile[1-5]_settings"
)
TWO_WHATS = (
    "/sys/devices/platform/soc/soc:firmware/soc:firmware:device_type_selector/"
    "hardware_monitoring_controller/device_type\n"
    "What:\t\t/sys/devices/platform/soc/soc:firmware/soc:firmware:device_type_selector/"
    "hardware_monitoring_controller/device_type_alternative"
)
# Reports, for every What of the page in a frame of the width asked for, each line
# break inside it (the character before the break, and whether the piece broken in
# is as wide as the column, where only the last resort may break it), and where the
# level badge of each entry lands against its Whats.
WHAT_PROBE = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" style="border:0;height:900px"></iframe><pre id="r">pending</pre>
<script>
const query = new URLSearchParams(location.search);
const frame = document.getElementById("f");
frame.style.width = query.get("width") + "px";
function lineTop(page, node, i) {
  const range = page.createRange();
  range.setStart(node, i);
  range.setEnd(node, i + 1);
  return Math.round(range.getBoundingClientRect().top);
}
frame.onload = () => setTimeout(() => {
  const page = frame.contentDocument;
  const breaks = [], badges = [];
  let whats = 0, lines = 0;
  for (const dt of page.querySelectorAll("dl.sysabi-entry > dt.sysabi-what")) {
    whats += 1;
    const name = dt.querySelector(".sig-name");
    const walker = page.createTreeWalker(name, NodeFilter.SHOW_TEXT);
    let last = null, before = "";
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const piece = node.parentElement;
      const full = piece.parentElement.classList.contains("pre") &&
        piece.getBoundingClientRect().width >= dt.clientWidth - 2;
      for (let i = 0; i < node.data.length; i++) {
        const here = lineTop(page, node, i);
        if (last !== null && here > last) { breaks.push([before, full]); lines += 1; }
        last = here;
        before = node.data[i];
      }
    }
  }
  for (const entry of page.querySelectorAll("dl.sysabi-entry")) {
    const badge = entry.querySelector(".sysabi-badge").getBoundingClientRect();
    const dts = [...entry.querySelectorAll(":scope > dt")];
    const first = dts[0].querySelector(".sig-name").getClientRects()[0];
    const next = dts.length > 1 ? dts[1].getBoundingClientRect().top : Infinity;
    badges.push({onFirstLine: Math.abs(badge.top - first.top) < first.height,
                 rightOfText: badge.left >= first.right - 1, beforeNext: badge.bottom <= next});
  }
  document.getElementById("r").textContent = JSON.stringify({
    whats, lines, breaks, badges, width: page.documentElement.scrollWidth});
}, 300);
frame.src = query.get("page");
</script></body></html>
"""
# Reports the width of the page and of its text column, the text's font, and where the
# sidebar is, of the page in a frame of the width asked for.
PAGE_PROBE = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" style="border:0;height:900px"></iframe><pre id="r">pending</pre>
<script>
const query = new URLSearchParams(location.search);
const frame = document.getElementById("f");
frame.style.width = query.get("width") + "px";
frame.onload = () => setTimeout(() => {
  const page = frame.contentDocument;
  const body = page.querySelector("div.body").getBoundingClientRect();
  const side = page.querySelector("div.sphinxsidebar").getBoundingClientRect();
  const text = page.querySelector("div.body p, div.body li");
  document.getElementById("r").textContent = JSON.stringify({
    width: page.documentElement.scrollWidth, column: Math.round(body.width),
    font: getComputedStyle(text).fontFamily, sidebarBelow: side.top >= body.bottom - 1});
}, 300);
frame.src = query.get("page");
</script></body></html>
"""
PROBES = {"/what-probe.html": WHAT_PROBE, "/page-probe.html": PAGE_PROBE}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A `sysabi docs build` site of long Whats, served over HTTP."""
    from sysabi import cli

    work = tmp_path_factory.mktemp("layout-site")
    tree = write_tree(
        work / "abi",
        {
            "obsolete/sysfs-long": entry(LONG_WHAT),
            "testing/sysfs-devices-long": entry(TWO_WHATS) + entry("/sys/class/x/short"),
        },
    )
    out = work / "html"
    args = ["docs", "build", "--tree", str(tree), "--out", str(out), "--cache", str(work / "c")]
    assert cli.main([*args, "-q"]) == 0
    yield from serve(out, PROBES)


def _whats(
    site: str, page: str, width: int, profile: Path, probe: str = "what-probe"
) -> dict[str, object]:
    url = f"{site}/{probe}.html?page={page}&width={width}"
    dom = browse(chromium(), profile, f"--window-size={width + 20},900", "--dump-dom", url)
    report = probe_report(dom)
    assert report != "pending", dom[-1000:]
    result: dict[str, object] = json.loads(report)
    return result


@pytest.mark.parametrize("width", [1400, 900, 600])
@pytest.mark.parametrize("page", ["obsolete/sysfs-long.html", "testing/sysfs-devices-long.html"])
def test_long_whats_wrap_after_slashes_only(
    site: str, tmp_path: Path, page: str, width: int
) -> None:
    found = _whats(site, page, width, tmp_path / "p")
    assert found["lines"], found  # the Whats are long enough to wrap at this width
    breaks: list[tuple[str, bool]] = found["breaks"]  # type: ignore[assignment]
    # A break inside a piece is only for a piece as wide as the column (the last resort).
    assert [before for before, full in breaks if before != "/" and not full] == [], found
    assert found["width"] <= width  # type: ignore[operator]


def test_a_piece_wider_than_the_column_still_fits(site: str, tmp_path: Path) -> None:
    # At 300 px, "<busnum>-<devnum>:<config num>.<interface num>/" is wider than the
    # column: only it may break inside (the last resort), and the page stays as wide.
    found = _whats(site, "obsolete/sysfs-long.html", 300, tmp_path / "p")
    breaks: list[tuple[str, bool]] = found["breaks"]  # type: ignore[assignment]
    assert all(before == "/" or full for before, full in breaks), found
    assert any(before != "/" for before, _ in breaks), found


@pytest.mark.parametrize("width", [1400, 600])
def test_the_level_badge_stays_on_the_first_line_of_the_whats(
    site: str, tmp_path: Path, width: int
) -> None:
    found = _whats(site, "testing/sysfs-devices-long.html", width, tmp_path / "p")
    badges = found["badges"]
    assert len(badges) == 2, found  # type: ignore[arg-type]
    for badge in badges:  # type: ignore[attr-defined]
        assert badge == {"onFirstLine": True, "rightOfText": True, "beforeNext": True}, found


@pytest.mark.parametrize("page", ["index.html", "testing.html", "obsolete/sysfs-long.html"])
def test_the_column_is_fluid_and_sans_serif_at_1400_pixels(
    site: str, tmp_path: Path, page: str
) -> None:
    found = _whats(site, page, 1400, tmp_path / "p", probe="page-probe")
    # Alabaster's fixed 940 px page left a text column of 660 px on a 1400 px window.
    assert 900 <= found["column"] <= 1100, found  # type: ignore[operator]
    assert found["width"] <= 1400, found  # type: ignore[operator]
    font = str(found["font"])
    assert font.startswith("system-ui") and "serif" not in font.replace("sans-serif", ""), found
    assert found["sidebarBelow"] is False, found


@pytest.mark.parametrize("page", ["index.html", "testing.html", "obsolete/sysfs-long.html"])
def test_a_phone_gets_the_whole_width_and_no_sideways_scrolling(
    site: str, tmp_path: Path, page: str
) -> None:
    found = _whats(site, page, 400, tmp_path / "p", probe="page-probe")
    assert found["width"] <= 400, found  # type: ignore[operator]
    assert found["column"] >= 360, found  # type: ignore[operator]
    assert found["sidebarBelow"] is True, found
