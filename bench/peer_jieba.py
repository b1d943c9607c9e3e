#!/usr/bin/python3
"""peer_jieba: the jieba peer (Debian's python3-jieba), timed as
bench_segment times zhseg: the corpus read into memory and split into the same
lines (newline kept, lines over 64 KiB split as bench_common.h does), each line
decoded to str outside the timing, then jieba.lcut() on every line.

Load time is measured apart: jieba.Tokenizer().initialize() in this process
(jieba keeps a pickled cache of its prefix dictionary in the temp directory;
the output says whether the cache file existed before the load).

Run with /usr/bin/python3 (the Debian package installs jieba for it only):
  /usr/bin/python3 bench/peer_jieba.py [--runs N] [--modes precise,precise-nohmm,search,full]
                                       [--limit BYTES] FILE
Prints one JSON line per measurement (schema: bench/bench_common.h).
"""
import argparse
import json
import logging
import os
import resource
import statistics
import sys
import tempfile
import time

MAX_PIECE = 64 * 1024


def split_point(b, limit):
    # After the last 。 in the last quarter, else at a UTF-8 character boundary.
    k = b.rfind("。".encode(), limit - limit // 4, limit)
    if k >= 0:
        return k + 3
    i = limit
    while i > 1 and (b[i] & 0xC0) == 0x80:
        i -= 1
    return i


def pieces(data):
    out = []
    i, n = 0, len(data)
    while i < n:
        nl = data.find(b"\n", i)
        end = n if nl < 0 else nl + 1
        while end - i > MAX_PIECE:
            cut = split_point(data[i:i + MAX_PIECE + 1], MAX_PIECE)
            out.append(data[i:i + cut])
            i += cut
        if end > i:
            out.append(data[i:end])
        i = end
    return out


def emit(**kw):
    print(json.dumps(kw), flush=True)


def series(name, values):
    return {name: [round(v, 4) for v in values], name + "_median": statistics.median(values),
            name + "_min": min(values), name + "_max": max(values)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--modes", default="precise,precise-nohmm")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("file")
    a = ap.parse_args()
    if a.runs < 1:
        ap.error("--runs must be at least 1")

    try:
        import jieba
    except ImportError as e:
        print("peer_jieba: jieba not importable (%s); install python3-jieba" % e, file=sys.stderr)
        return 3
    jieba.setLogLevel(logging.WARNING)

    with open(a.file, "rb") as f:
        data = f.read()
    if a.limit and len(data) > a.limit:
        k = data.rfind(b"\n", a.limit // 2, a.limit)
        data = data[:k + 1] if k >= 0 else data[:split_point(data, a.limit)]
    lines = [p.decode("utf-8", errors="replace") for p in pieces(data)]

    tk = jieba.Tokenizer()
    cache = os.path.join(tk.tmp_dir or tempfile.gettempdir(),
                         tk.cache_file or "jieba.cache")
    had_cache = os.path.exists(cache)
    t0 = time.perf_counter()
    tk.initialize()
    load_ms = (time.perf_counter() - t0) * 1e3

    modes = {
        "precise": ("precise", True, lambda s: tk.lcut(s, HMM=True)),
        "precise-nohmm": ("precise", False, lambda s: tk.lcut(s, HMM=False)),
        "search": ("search", True, lambda s: tk.lcut_for_search(s, HMM=True)),
        "full": ("full", False, lambda s: tk.lcut(s, cut_all=True)),
    }
    for key in a.modes.split(","):
        if key not in modes:
            ap.error("unknown mode %r" % key)
        mode, hmm, fn = modes[key]
        n_tokens = sum(len(fn(s)) for s in lines)  # untimed pass: count and warm up
        mbps, cpu_mbps = [], []
        for _ in range(a.runs):
            c = time.process_time()
            t = time.perf_counter()
            n = 0
            for s in lines:
                n += len(fn(s))
            mbps.append(len(data) / 1e6 / (time.perf_counter() - t))
            cpu_mbps.append(len(data) / 1e6 / (time.process_time() - c))
            if n != n_tokens:
                print("peer_jieba: token count changed between runs", file=sys.stderr)
                return 1
        emit(bench="segment", impl="jieba", mode=mode, hmm=hmm, threads=1, bytes=len(data),
             lines=len(lines), runs=a.runs, **series("mbps", mbps),
             **series("cpu_mbps", cpu_mbps), units=n_tokens,
             units_name="tokens", load_ms=round(load_ms, 3), load_cache_existed=had_cache,
             maxrss_kb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
             version=getattr(jieba, "__version__", "?"),
             python="%d.%d.%d" % sys.version_info[:3])
    return 0


if __name__ == "__main__":
    sys.exit(main())
