#!/usr/bin/python3
"""Draws bench/run's results as one SVG picture (standard library only).

  chart.py RESULTS.json OUT.svg

One horizontal bar per program and mode: the median MB/s of its runs, with a
whisker from the slowest run to the fastest, and beside each peer how many
times faster zhseg was (the table's ratio: taken within each round, then the
median). The goals are drawn where they fall: 200 MB/s across the picture,
10x and 5x the fastest peer's median on the bars they concern. The lines
under the bars say whether each goal was met, from the per-round ratios as
the table does. The run's machine, commit and input are printed on the
picture itself, so that it can be shown without the table it came from.
"""
import json
import sys
from xml.sax.saxutils import escape

# Groups of bars, top to bottom: (title, mode, hmm, programs in order).
# ICU has no HMM; the table compares it with precise mode, HMM on, and so
# does the picture.
GROUPS = [
    ("precise, HMM on", "precise", True, ["zhseg", "jieba-rs", "icu", "jieba"]),
    ("precise, HMM off", "precise", False, ["zhseg", "jieba-rs", "jieba"]),
    ("search", "search", True, ["zhseg", "jieba-rs", "jieba"]),
    ("full", "full", False, ["zhseg", "jieba-rs", "jieba"]),
]
NAMES = {"zhseg": "zhseg", "jieba-rs": "jieba-rs (@node-rs/jieba)", "icu": "ICU word BreakIterator",
         "jieba": "jieba (Python)", "zhseg-cut": "zhseg cut, whole process"}
COLORS = {"zhseg": "#1f5fa8", "zhseg-cut": "#5b8fd0", "jieba-rs": "#d07a2b", "icu": "#7a9a3a",
          "jieba": "#a0a0a0"}
CORE_GOAL_MBPS = 200  # issue 5's goal for the core, precise mode with HMM

WIDTH, LEFT, RIGHT = 920, 250, 150
BAR, GAP, GROUP_GAP = 16, 5, 20
MARK_ROOM = 10  # under a bar with a goal mark, for the mark's label


def find(results, impl, mode, hmm):
    for r in results:
        if (r.get("bench") == "segment" and r.get("impl") == impl and r.get("mode") == mode
                and r.get("threads") == 1 and (impl == "icu" or r.get("hmm") == hmm)):
            return r
    return None


def rows(data):
    """[(group title, [(impl, result)])], the groups with at least one bar."""
    out = []
    for title, mode, hmm, impls in GROUPS:
        bars = [(i, find(data["results"], i, mode, hmm)) for i in impls]
        bars = [(i, r) for i, r in bars if r is not None]
        if title == "precise, HMM on":
            proc = [r for r in data["results"] if r.get("bench") == "process" and r.get("impl") == "zhseg-cut"]
            bars += [("zhseg-cut", r) for r in proc[:1]]
        if bars:
            out.append((title, bars))
    return out


def text(x, y, s, size=12, anchor="start", weight="normal", fill="#222"):
    return ('<text x="%.1f" y="%.1f" font-size="%d" text-anchor="%s" font-weight="%s" fill="%s">%s</text>'
            % (x, y, size, anchor, weight, fill, escape(s)))


def goal_marks(data):
    """{(group title, impl): (MB/s, label)}: the goals that are multiples of
    the fastest peer's precise + HMM median, on the bars they concern."""
    peer = find(data["results"], data.get("fastest_peer"), "precise", True)
    if peer is None:
        return {}
    m = peer["mbps_median"]
    return {("precise, HMM on", "zhseg"): (10 * m, "10× %s" % peer["impl"]),
            ("precise, HMM on", "zhseg-cut"): (5 * m, "5× %s" % peer["impl"])}


def notes(data):
    """[(line, colour)] under the bars: the smoke note, the goals' verdicts,
    the peers not measured."""
    meta = data["meta"]
    out = []
    if meta.get("smoke"):
        out.append(("smoke run: goals not judged; its input is too small and its runs too few to quote", "#555"))
    for g in data.get("goals", []):
        out.append(("[%s] %s: %s" % ("met" if g["met"] else "NOT met", g["goal"], g["detail"]),
                    "#2a7a2a" if g["met"] else "#c33"))
    missing = meta.get("missing") or {}
    if missing:
        out.append(("not measured: " + "; ".join("%s (%s)" % (k, v) for k, v in missing.items()), "#555"))
    return out


def header(meta):
    return [text(12, 24, "Chinese word segmentation, one thread: MB/s of UTF-8 input "
                 "(median; whisker: slowest to fastest run)", 15, weight="bold"),
            text(12, 44, "%s · commit %s · %s, %s CPUs · %s"
                 % (meta.get("date", "?"), meta.get("commit", "?"), meta.get("cpu", "?"),
                    meta.get("nproc", "?"), meta.get("build_type", "?")), 12, fill="#555"),
            text(12, 61, "input: %s, %.1f MB%s · command: %s"
                 % (meta.get("corpus", "?"), meta.get("corpus_bytes", 0) / 1e6,
                    " (smoke run)" if meta.get("smoke") else "", meta.get("command", "?").strip()),
                 12, fill="#555")]


def bar(out, y, impl, r, scale, mark):
    """Appends one bar at height y, its whisker, label and goal mark."""
    w = r["mbps_median"] * scale
    out.append(text(LEFT - 8, y + BAR - 4, NAMES.get(impl, impl), 12, "end"))
    out.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>'
               % (LEFT, y, max(w, 1), BAR, COLORS.get(impl, "#888")))
    lo, hi = LEFT + r["mbps_min"] * scale, LEFT + r["mbps_max"] * scale
    mid = y + BAR / 2
    out.append('<path d="M%.1f %.1fH%.1fM%.1f %.1fV%.1fM%.1f %.1fV%.1f" stroke="#222" fill="none"/>'
               % (lo, mid, hi, lo, mid - 4, mid + 4, hi, mid - 4, mid + 4))
    end = max(hi, LEFT + w)
    if mark:
        mx = LEFT + mark[0] * scale
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#c33" stroke-width="2"/>'
                   % (mx, y - 2, mx, y + BAR + 2))
        out.append(text(mx, y + BAR + 12, mark[1], 10, "middle", fill="#c33"))
        end = max(end, mx)
    label = "%.1f" % r["mbps_median"]
    ratio = r.get("zhseg_ratio")
    if ratio:
        label += (" · zhseg %.1f× faster" if ratio >= 1 else " · zhseg %.2f× as fast") % ratio
    out.append(text(end + 6, y + BAR - 4, label, 12))


def draw(data):
    groups = rows(data)
    marks = goal_marks(data)
    lines = notes(data)
    top = 92
    n_marked = sum(1 for t, b in groups for i, _ in b if (t, i) in marks)
    height = top + sum(18 + len(b) * (BAR + GAP) + GROUP_GAP for _, b in groups) + MARK_ROOM * n_marked
    peak = max([r["mbps_max"] for _, b in groups for _, r in b] + [v for v, _ in marks.values()]
               + [CORE_GOAL_MBPS])
    scale = (WIDTH - LEFT - RIGHT) / (peak * 1.05)
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif">'
           % (WIDTH, height + 38 + 17 * len(lines)),
           '<rect width="100%" height="100%" fill="white"/>'] + header(data["meta"])
    # The core goal, a dashed line across every group.
    gx = LEFT + CORE_GOAL_MBPS * scale
    out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#c33" stroke-dasharray="5,4"/>'
               % (gx, top - 10, gx, height))
    out.append(text(gx, top - 14, "goal: core ≥ %d MB/s" % CORE_GOAL_MBPS, 11, "middle", fill="#c33"))
    y = top
    for title, bars in groups:
        out.append(text(12, y + 12, title, 13, weight="bold"))
        y += 18
        for impl, r in bars:
            mark = marks.get((title, impl))
            bar(out, y, impl, r, scale, mark)
            y += BAR + GAP + (MARK_ROOM if mark else 0)
        y += GROUP_GAP
    y += 8
    for line, color in lines:
        out.append(text(12, y + 12, line, 12, fill=color))
        y += 17
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    data = json.load(open(argv[1], encoding="utf-8"))
    with open(argv[2], "w", encoding="utf-8") as f:
        f.write(draw(data))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
