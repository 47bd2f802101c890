"""Render ``newsdag report`` for a data dir and screenshot it with headless Chromium.

Checks that the self-contained page draws its charts with no network: Chromium runs with
background networking off, on a throw-away profile, from a ``file://`` URL. Prints the HTML
and PNG paths and sizes; look at the PNG to see the charts.

Run from the repository root, over a data dir built by ``newsdag run`` (e.g. over a few
hundred BBC articles): ``python benchmarks/report_screenshot.py DATA_DIR [--out DIR]``.
When Chromium is not installed (``apt-get install chromium``) it says so and exits 0.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsdag.report import write_report
from newsdag.store import Store

CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
WINDOW = "1400,3400"


def find_chromium() -> str | None:
    """The first Chromium on this machine, or None."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return found or next((c for c in CANDIDATES if Path(c).exists()), None)


def screenshot(browser: str, page: Path, png: Path, window: str = WINDOW) -> None:
    """Let the page run its scripts (virtual time), then save what it shows as ``png``."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--no-first-run", f"--user-data-dir={profile}", "--hide-scrollbars",
                "--virtual-time-budget=15000", f"--screenshot={png}", f"--window-size={window}",
                page.resolve().as_uri(),
            ],
            check=True, capture_output=True, timeout=180,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path, help="data dir written by `newsdag run`")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out"), help="folder for report.html and the PNG")
    args = parser.parse_args()
    browser = find_chromium()
    if browser is None:
        print("skipped: no Chromium found (install it with `apt-get install chromium`)")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    page = write_report(Store(args.data_dir), args.out / "report.html")
    built = time.perf_counter() - started
    png = args.out / "report.png"
    png.unlink(missing_ok=True)
    screenshot(browser, page, png)
    if not png.exists():
        print(f"error: {browser} wrote no screenshot", file=sys.stderr)
        return 1
    print(f"report:     {page}  ({page.stat().st_size / 1e6:.1f} MB, built in {built:.1f} s)")
    print(f"screenshot: {png}  ({png.stat().st_size / 1e3:.0f} kB, window {WINDOW})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
