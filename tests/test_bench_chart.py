#!/usr/bin/python3
"""Checks bench/chart.py, the picture bench/run draws of its results, on
results made up here: the SVG parses, there is one bar per figure present
and none for a figure absent, bar lengths are in proportion to the medians,
whiskers span min to max, each peer's ratio and every goal's verdict is
printed, the goal marks sit where their multiple of the fastest peer falls
(inside the picture even past every bar), and text that needs escaping (a
command with < & >) is escaped.
Environment: ZHSEG_SOURCE_DIR (set by CTest).
"""
import importlib.util
import os
import sys
import xml.dom.minidom

SOURCE = os.environ.get("ZHSEG_SOURCE_DIR", os.path.join(os.path.dirname(__file__), ".."))
spec = importlib.util.spec_from_file_location("chart", os.path.join(SOURCE, "bench", "chart.py"))
chart = importlib.util.module_from_spec(spec)
spec.loader.exec_module(chart)

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def seg(impl, mode, hmm, med, lo, hi, ratio=None):
    r = dict(bench="segment", impl=impl, mode=mode, hmm=hmm, threads=1, mbps_median=med, mbps_min=lo,
             mbps_max=hi)
    if ratio is not None:
        r["zhseg_ratio"] = ratio
    return r


def results(smoke=False):
    return {
        "meta": {"date": "2026-01-02 03:04 UTC", "commit": "abc1234", "cpu": "Test CPU", "nproc": "2",
                 "build_type": "RelWithDebInfo", "corpus": "corpus.txt", "corpus_bytes": 20000000,
                 "command": "bench/run --x '<a&b>'", "smoke": smoke, "missing": {"jieba": "not installed"}},
        "fastest_peer": "jieba-rs",
        "results": [
            seg("zhseg", "precise", True, 100.0, 90.0, 120.0),
            seg("zhseg", "precise", True, 190.0, 180.0, 200.0) | {"threads": 2},  # not drawn: 2 threads
            seg("jieba-rs", "precise", True, 10.0, 9.0, 11.0, ratio=9.5),
            seg("icu", "precise", False, 8.0, 7.5, 8.5, ratio=12.0),
            seg("zhseg", "precise", False, 110.0, 100.0, 115.0),
            seg("jieba-rs", "precise", False, 11.0, 10.0, 12.0, ratio=10.0),
            seg("zhseg", "search", True, 80.0, 75.0, 85.0),
            seg("zhseg", "full", False, 150.0, 140.0, 160.0),
            seg("jieba-rs", "full", False, 12.0, 11.0, 13.0, ratio=12.5),
            dict(bench="process", impl="zhseg-cut", mode="precise", hmm=True, threads=1, mbps_median=60.0,
                 mbps_min=55.0, mbps_max=62.0),
        ],
        "goals": [{"goal": "core ≥ 200 MB/s", "met": False, "detail": "100.0 MB/s wall"},
                  {"goal": "dictionary open < 5 ms (warm cache)", "met": True, "detail": "0.010 ms median"}],
    }


def texts(doc):
    return [t.firstChild.data if t.firstChild else "" for t in doc.getElementsByTagName("text")]


def bars(doc):
    """(label, x, width, y) of each bar, its label being the text just left of it."""
    labels = {}
    for t in doc.getElementsByTagName("text"):
        if t.getAttribute("text-anchor") == "end":
            labels[round(float(t.getAttribute("y")))] = t.firstChild.data
    out = []
    for r in doc.getElementsByTagName("rect"):
        if r.getAttribute("width") == "100%":
            continue  # the background
        x, w, y, h = (float(r.getAttribute(k)) for k in ("x", "width", "y", "height"))
        out.append((labels.get(round(y + h - 4)), x, w, y))
    return out


svg = chart.draw(results())
try:
    doc = xml.dom.minidom.parseString(svg)
except Exception as e:  # noqa: BLE001 - any parse error fails the test
    print("chart.py wrote an SVG that does not parse: %s" % e)
    sys.exit(1)

b = bars(doc)
names = [label for label, *_ in b]
expected = ["zhseg", chart.NAMES["jieba-rs"], chart.NAMES["icu"], chart.NAMES["zhseg-cut"],
            "zhseg", chart.NAMES["jieba-rs"], "zhseg", "zhseg", chart.NAMES["jieba-rs"]]
check(names == expected, "bars %s, expected %s (one per single-thread figure, in group order)" % (names, expected))

if len(b) == len(expected):
    width = {i: w for i, (_, _, w, _) in enumerate(b)}
    scale = width[0] / 100.0
    for i, med in enumerate([100, 10, 8, 60, 110, 11, 80, 150, 12]):
        check(abs(width[i] - med * scale) < 0.2, "bar %d is %.1f long, expected %.1f" % (i, width[i], med * scale))
    check(all(x == b[0][1] for _, x, _, _ in b), "bars do not all start at the axis")

    # The whisker of the first bar: from its min to its max on the same scale.
    x0 = b[0][1]
    paths = [p.getAttribute("d") for p in doc.getElementsByTagName("path")]
    spans = []
    for d in paths:  # "M<lo> <y>H<hi>...": the whisker's horizontal stroke first
        head = d.split("M")[1]
        spans.append((float(head.split()[0]), float(head.split("H")[1])))
    lo, hi = x0 + 90 * scale, x0 + 120 * scale
    check(any(abs(a - lo) < 0.3 and abs(c - hi) < 0.3 for a, c in spans),
          "no whisker from %.1f to %.1f among %s" % (lo, hi, spans[:3]))

    # Goal marks: 10x the fastest peer (jieba-rs, 10 MB/s, precise + HMM) on
    # zhseg's bar, 5x on the process's bar; the 200 MB/s line across.
    lines = [(float(l.getAttribute("x1")), float(l.getAttribute("y1"))) for l in doc.getElementsByTagName("line")]
    for mult, row in ((10, 0), (5, 3)):
        x = x0 + mult * 10 * scale
        check(any(abs(lx - x) < 0.2 and abs(ly - (b[row][3] - 2)) < 0.2 for lx, ly in lines),
              "no %dx goal mark at x=%.1f on bar %d" % (mult, x, row))
    check(any(abs(lx - (x0 + 200 * scale)) < 0.2 for lx, _ in lines), "no 200 MB/s goal line")

all_text = texts(doc)
for want in ("10.0 · zhseg 9.5× faster", "8.0 · zhseg 12.0× faster", "12.0 · zhseg 12.5× faster", "100.0", "60.0",
             "[NOT met] core ≥ 200 MB/s: 100.0 MB/s wall", "[met] dictionary open < 5 ms (warm cache): 0.010 ms median",
             "not measured: jieba (not installed)"):
    check(any(want in t for t in all_text), "no text %r" % want)
check(any("bench/run --x '<a&b>'" in t for t in all_text), "the command is not printed as given")
check("&lt;a&amp;b&gt;" in svg, "the command's < & > are not escaped")
check(not any("smoke run" in t for t in all_text), "a full run's picture calls itself a smoke run")

# A fast peer: its 10x mark (300 MB/s) lies past every bar and must still
# fall inside the picture; a peer faster than zhseg reads "as fast".
fast = results()
fast["results"][2] |= {"mbps_median": 30.0, "mbps_min": 29.0, "mbps_max": 31.0}
fast["results"][3]["zhseg_ratio"] = 0.5
doc2 = xml.dom.minidom.parseString(chart.draw(fast))
w = float(doc2.documentElement.getAttribute("width"))
xs = [float(l.getAttribute("x1")) for l in doc2.getElementsByTagName("line")]
check(xs and max(xs) < w - chart.RIGHT + 1, "a goal mark at %.1f falls outside the %.0f-wide picture" % (max(xs), w))
check(any("zhseg 0.50× as fast" in t for t in texts(doc2)), "a ratio under 1 is not written as 'as fast'")

smoke = xml.dom.minidom.parseString(chart.draw(results(smoke=True)))
check(any("smoke run: goals not judged" in t for t in texts(smoke)), "a smoke run's picture does not say so")

if failures:
    for f in failures:
        print("FAIL:", f)
    sys.exit(1)
print("ok: %d bars, goal marks and labels as expected" % len(b))
