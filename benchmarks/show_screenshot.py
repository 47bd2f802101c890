"""Screenshot ``newsdag show --format html`` and the report's article view in headless Chromium.

Checks that the highlighting reaches the screen with no network: each page is opened from
a ``file://`` URL (the report at its article's anchor) on a throw-away profile, and the
PNG's pixels are counted for every speaker colour of the legend. Prints, per page, the
colours found and their pixel counts; a speaker colour with no pixel fails the check.

Run from the repository root over a data dir built by ``newsdag run``:
``python benchmarks/show_screenshot.py DATA_DIR [--article DOC_ID] [--out DIR]`` (the
default article is the one with the most quotations). When Chromium is not installed
(``apt-get install chromium``) it says so and exits 0.
"""

from __future__ import annotations

import argparse
import struct
import subprocess
import sys
import tempfile
import zlib
from collections import Counter
from pathlib import Path

from report_screenshot import find_chromium

from newsdag.catalog import connect
from newsdag.report import article_anchor, write_report
from newsdag.show import html_page, load_views, speakers
from newsdag.store import Store

WINDOW = "1200,2400"


def shoot(browser: str, url: str, png: Path) -> None:
    """Save what ``url`` shows as ``png`` (after its scripts ran, in virtual time)."""
    png.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--no-first-run", f"--user-data-dir={profile}", "--hide-scrollbars",
                "--virtual-time-budget=15000", f"--screenshot={png}", f"--window-size={WINDOW}", url,
            ],
            check=True, capture_output=True, timeout=180,
        )


def pixels(png: Path) -> Counter:
    """Colour (``#rrggbb``) -> pixel count of an 8-bit RGB or RGBA PNG, decoded by hand
    (no imaging library needed)."""
    data = png.read_bytes()
    at, idat, width, height, channels = 8, b"", 0, 0, 3
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), "only 8-bit RGB(A) screenshots are read"
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    raw, stride = zlib.decompress(idat), width * channels
    previous, counts = bytearray(stride), Counter()
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        counts.update(bytes(line[i:i + 3]).hex() for i in range(0, stride, channels))
        previous = line
    return Counter({f"#{k}": n for k, n in counts.items()})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path, help="data dir written by `newsdag run`")
    parser.add_argument("--article", help="doc_id of the article [default: the one with the most quotations]")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out"), help="folder for the pages and PNGs")
    args = parser.parse_args()
    browser = find_chromium()
    if browser is None:
        print("skipped: no Chromium found (install it with `apt-get install chromium`)")
        return 0
    store = Store(args.data_dir)
    with connect(store) as con:
        doc_id = args.article or con.sql(
            "SELECT doc_id FROM quotes GROUP BY 1 ORDER BY count(*) DESC, doc_id LIMIT 1").fetchall()[0][0]
        view = load_views(con, [doc_id])[doc_id]
    args.out.mkdir(parents=True, exist_ok=True)
    page = args.out / "show.html"
    page.write_text(html_page(view), encoding="utf-8")
    report = write_report(store, args.out / "report.html")
    colours = {entry.colour: entry.name for entry in speakers(view.quotes).values()}
    failed = False
    for name, url in (("show", page.resolve().as_uri()),
                      ("report-article", f"{report.resolve().as_uri()}#{article_anchor(doc_id)}")):
        png = args.out / f"{name}.png"
        shoot(browser, url, png)
        found = pixels(png)
        missing = [who for colour, who in colours.items() if found[colour] == 0]
        failed |= bool(missing)
        counts = ", ".join(f"{who} {found[colour]}" for colour, who in colours.items())
        print(f"{name:15} {png}  pixels per speaker colour: {counts}")
        if missing:
            print(f"error: {name}: no pixel of the colour of {missing}", file=sys.stderr)
    print(f"article:        {doc_id}  {len(view.quotes)} quotations, {len(colours)} speakers")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
