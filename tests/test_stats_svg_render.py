#!/usr/bin/python3
"""Checks that the charts of `zhseg analyze --svg` show their Chinese labels in
a browser: renders them with headless Chromium and compares pixels.

1. bar.svg against the same SVG with every <text> element removed: the label
   column must differ (the labels draw something).
2. bar.svg against the same SVG with every Han character replaced by 一: the
   label column must differ again. Without a CJK font Chromium draws the same
   empty box for every Han character (or nothing), so both renders would be
   the same; with real glyphs they differ.

Exit 77 (CTest SKIP_RETURN_CODE) only when Chromium is not installed. The
screenshots stay in $ZHSEG_BINARY_DIR/tests/svg-render/ for a human to look at.
Environment: ZHSEG_BIN, ZHSEG_SOURCE_DIR, ZHSEG_BINARY_DIR (set by CTest).
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

SKIP = 77


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def read_png(path):
    """Minimal PNG decoder for Chromium screenshots: 8-bit RGB/RGBA, no interlace.
    Returns (width, height, rows of (r, g, b) tuples as bytes per pixel)."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, width = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace != 0:
                raise ValueError(f"{path}: unsupported PNG (depth {depth}, type {ctype})")
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def render(chromium, svg, png, size="1000,800"):
    profile = tempfile.mkdtemp(prefix="zhseg-chromium-")
    try:
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--hide-scrollbars",
               f"--user-data-dir={profile}", f"--screenshot={png}",
               f"--window-size={size}", "file://" + os.path.abspath(svg)]
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120,
                       check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if not os.path.exists(png):
        sys.exit(f"FAIL: chromium wrote no screenshot for {svg}")
    return read_png(png)


def differing_pixels(a, b, box):
    """Pixels inside box = (x0, y0, x1, y1) whose colour differs by > 48 in some channel."""
    (wa, ha, bpp_a, ra), (wb, hb, bpp_b, rb) = a, b
    x0, y0, x1, y1 = box
    n = 0
    for y in range(y0, min(y1, ha, hb)):
        la, lb = ra[y], rb[y]
        for x in range(x0, min(x1, wa, wb)):
            pa, pb = la[x * bpp_a:x * bpp_a + 3], lb[x * bpp_b:x * bpp_b + 3]
            if max(abs(pa[k] - pb[k]) for k in range(3)) > 48:
                n += 1
    return n


def main():
    chromium = find_chromium()
    if chromium is None:
        print("SKIP: chromium is not installed (tools/setup-debian --test installs it)")
        return SKIP
    zhseg = os.environ["ZHSEG_BIN"]
    src = os.environ["ZHSEG_SOURCE_DIR"]
    out = os.path.join(os.environ.get("ZHSEG_BINARY_DIR", tempfile.gettempdir()), "tests",
                       "svg-render")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    subprocess.run([zhseg, "analyze", "--lexicon", "governance", "--top", "20", "--svg", out,
                    os.path.join(src, "examples", "bulletins")],
                   stdout=subprocess.DEVNULL, check=True)
    bar = open(os.path.join(out, "bar.svg"), encoding="utf-8").read()
    if not re.search(r"font-family=\"[^\"]*(WenQuanYi|Noto Sans CJK)", bar):
        sys.exit("FAIL: bar.svg names no CJK font family")
    labels = re.findall(r'text-anchor="end"[^>]*>([^<]*)</text>', bar)
    if len(labels) < 10 or not all(re.search(r"[\u4e00-\u9fff]", t) for t in labels):
        sys.exit(f"FAIL: expected at least 10 Chinese labels in bar.svg, got {labels!r}")

    no_text = re.sub(r"<text\b[^>]*>.*?</text>", "", bar, flags=re.S)
    same_han = re.sub(r"[\u4e00-\u9fff]", "一", bar)
    for name, text in (("bar-notext.svg", no_text), ("bar-samehan.svg", same_han)):
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(text)

    img = render(chromium, os.path.join(out, "bar.svg"), os.path.join(out, "bar.png"))
    img_blank = render(chromium, os.path.join(out, "bar-notext.svg"),
                       os.path.join(out, "bar-notext.png"))
    img_same = render(chromium, os.path.join(out, "bar-samehan.svg"),
                      os.path.join(out, "bar-samehan.png"))
    for chart in ("heatmap", "network"):
        render(chromium, os.path.join(out, chart + ".svg"), os.path.join(out, chart + ".png"))

    # The label column of the bar chart: right-aligned at x = 180, rows of 26
    # pixels from y = 60 (see cli/analyze_svg.c).
    box = (0, 60, 185, 60 + 20 * 26)
    area = (box[2] - box[0]) * (box[3] - box[1])
    drawn = differing_pixels(img, img_blank, box)
    glyphs = differing_pixels(img, img_same, box)
    print(f"label column: {area} pixels; differ from text-free render: {drawn}; "
          f"differ from render with every Han character as 一: {glyphs}")
    print(f"screenshots in {out}")
    if drawn < area * 0.02:
        sys.exit("FAIL: the labels draw (almost) nothing: no text glyphs on the page")
    if glyphs < area * 0.01:
        sys.exit("FAIL: different Chinese labels render the same: no CJK glyphs "
                 "(is fonts-wqy-zenhei installed?)")
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
