#!/usr/bin/python3
"""Helpers for bench/run (standard library only).

  report.py proc --name NAME --bytes N --runs R -- CMD...
      Runs CMD R times (plus one untimed warm-up) with stdout to /dev/null;
      prints one JSON line: wall-clock MB/s per run, median/min/max, and the
      peak RSS of the child (from wait4's rusage).
  report.py callgrind --name NAME --bytes N --log FILE
      Reads valgrind's stderr in FILE, takes the "Collected : N" total, prints
      one JSON line with instructions per input byte.
  report.py table --raw RAW.jsonl --meta META.json --json OUT.json [--markdown OUT.md]
      Gathers every JSON line, prints the table (ratios to zhseg), and writes
      the results file. Lines that carry a "round" (bench/run --rounds) are
      merged per figure: runs pooled, and each ratio to zhseg taken within a
      round, then the median over the rounds.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time


def series(name, values):
    return {name: [round(v, 4) for v in values], name + "_median": statistics.median(values),
            name + "_min": min(values), name + "_max": max(values)}


def cmd_proc(a):
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    mbps, rss, secs, cpu = [], [], [], []
    for r in range(a.runs + 1):
        t = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        stderr = p.stderr.read()
        _, status, ru = os.wait4(p.pid, 0)
        dt = time.perf_counter() - t
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0:
            sys.stderr.write(stderr.decode("utf-8", "replace"))
            print("report.py proc: %s exited with %d" % (" ".join(cmd), p.returncode), file=sys.stderr)
            return 1
        if r == 0:
            continue  # warm-up: page cache, dictionary image
        secs.append(dt)
        mbps.append(a.bytes / 1e6 / dt)
        cpu.append(a.bytes / 1e6 / max(ru.ru_utime + ru.ru_stime, 1e-9))
        rss.append(ru.ru_maxrss)
    out = dict(bench="process", impl=a.name, mode="precise", hmm=True, threads=1, bytes=a.bytes,
               runs=a.runs, command=" ".join(cmd), maxrss_kb=max(rss))
    out.update(series("mbps", mbps))
    out.update(series("cpu_mbps", cpu))
    out.update(series("seconds", secs))
    print(json.dumps(out), flush=True)
    return 0


def cmd_callgrind(a):
    text = open(a.log, encoding="utf-8", errors="replace").read()
    m = re.findall(r"Collected\s*:\s*([0-9][0-9,]*)", text)
    if not m:
        print("report.py callgrind: no 'Collected' total in %s" % a.log, file=sys.stderr)
        return 1
    ir = int(m[-1].replace(",", ""))
    out = dict(bench="instructions", impl=a.name, mode=a.mode, hmm=a.hmm == "on", bytes=a.bytes,
               instructions=ir, instructions_per_byte=ir / a.bytes if a.bytes else 0,
               scope=a.scope)
    print(json.dumps(out), flush=True)
    return 0


# "NAME  X MB/s  (Y MB)" or "NAME  X MB/s wall  Z MB/s cpu  (Y MB)"
NORM_ROW = re.compile(r"^(\S.*?)\s+([0-9.]+) MB/s(?: wall)?(?:\s+([0-9.]+) MB/s cpu)?\s+\(([0-9.]+) MB\)\s*$")


def cmd_normalize(a):
    """Folds the text output of several bench_normalize runs into JSON lines:
    one per figure (median/min/max over the runs), notes from the first run."""
    figures, order, notes = {}, [], []
    for k, path in enumerate(a.files):
        for line in open(path, encoding="utf-8", errors="replace"):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            if line.startswith("{"):
                try:
                    r = json.loads(line)
                    if k == 0:
                        print(json.dumps(r), flush=True)
                    continue
                except ValueError:
                    pass
            m = NORM_ROW.match(line)
            if m:
                name = m.group(1).strip()
                if name not in figures:
                    figures[name] = ([], float(m.group(4)), [])
                    order.append(name)
                figures[name][0].append(float(m.group(2)))
                if m.group(3):
                    figures[name][2].append(float(m.group(3)))
            elif k == 0:
                notes.append(line.strip())
    for name in order:
        values, mb, cpu = figures[name]
        out = dict(bench="normalize", impl="zhseg", mode=name, threads=1, bytes=int(mb * 1e6),
                   runs=len(values))
        out.update(series("mbps", values))
        if len(cpu) == len(values):
            out.update(series("cpu_mbps", cpu))
        print(json.dumps(out, ensure_ascii=False), flush=True)
    for n in notes:
        print(json.dumps(dict(bench="normalize-note", text=n), ensure_ascii=False), flush=True)
    return 0


def cmd_control(a):
    def med(path):
        for line in open(path, encoding="utf-8"):
            return json.loads(line)["mbps_median"]
    single = med(a.single)
    pair = [med(x) for x in a.pair]
    out = dict(bench="control", impl=a.name, single_mbps=single, pair_mbps=pair,
               ratio=sum(pair) / single if single else 0)
    print(json.dumps(out), flush=True)
    return 0


# ------------------------------------------------------------------ table

def fmt_mbps(r):
    return "%8.2f  [%.2f – %.2f]" % (r["mbps_median"], r["mbps_min"], r["mbps_max"])


SERIES = ("mbps", "cpu_mbps", "seconds")


def merge_rounds(rows):
    """One row per figure: the rows of the rounds pooled (their runs
    concatenated), each round's median kept in round_mbps / round_cpu_mbps
    ({round: median}) for ratios taken within a round."""
    merged, index = [], {}
    for r in rows:
        if "round" not in r:
            merged.append(r)
            continue
        key = (r.get("bench"), r.get("impl"), r.get("mode"), r.get("hmm"), r.get("threads", 1))
        m = index.get(key)
        if m is None:
            m = dict(r)
            del m["round"]
            m["rounds"] = []
            for name in SERIES:
                if name in r:
                    m[name] = []
                    m["round_" + name] = {}
            index[key] = m
            merged.append(m)
        m["rounds"].append(r["round"])
        for name in SERIES:
            if name in r and name in m:
                m[name] = m[name] + r[name]
                m["round_" + name][r["round"]] = r[name + "_median"]
        if "maxrss_kb" in r:
            m["maxrss_kb"] = max(m.get("maxrss_kb", 0), r["maxrss_kb"])
    for m in index.values():
        m["runs"] = len(m.get("mbps", [])) or m.get("runs", 0)
        for name in SERIES:
            if m.get(name):
                m.update(series(name, m[name]))
    return merged


def paired_ratio(z, r, key="mbps"):
    """zhseg's figure over the row's, taken within each round both ran in:
    (median, min, max, number of rounds); without rounds, the ratio of the
    medians (count 0). None when either figure is missing."""
    if z is None or r is None:
        return None
    zr, rr = z.get("round_" + key), r.get("round_" + key)
    if zr and rr:
        ratios = [zr[k] / rr[k] for k in zr if k in rr and rr[k] > 0]
        if ratios:
            return statistics.median(ratios), min(ratios), max(ratios), len(ratios)
    zm, rm = z.get(key + "_median"), r.get(key + "_median")
    if zm is None or not rm:
        return None
    return zm / rm, zm / rm, zm / rm, 0


def fmt_ratio(pr):
    return "—" if pr is None else "%.1f×" % pr[0]


def fmt_ratio_range(pr):
    if pr is None:
        return "—"
    if pr[3] < 2:
        return "%.1f×" % pr[0]
    return "%.1f× (median of %d rounds, %.1f–%.1f)" % (pr[0], pr[3], pr[1], pr[2])


def cmd_table(a):
    rows, other = [], []
    with open(a.raw, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                rows.append(json.loads(line))
            except ValueError:
                other.append(line)
    rows = merge_rounds(rows)
    meta = json.load(open(a.meta, encoding="utf-8"))
    out = []
    p = out.append

    def seg(impl=None, mode=None, hmm=None, threads=1, bench="segment"):
        return [r for r in rows if r.get("bench") == bench and (impl is None or r.get("impl") == impl)
                and (mode is None or r.get("mode") == mode) and (hmm is None or r.get("hmm") == hmm)
                and r.get("threads", 1) == threads]

    def first(lst):
        return lst[0] if lst else None

    p("zhseg benchmarks — %s" % meta.get("date", "?"))
    p("machine: %s, %s CPUs, %s, Linux %s; build %s (%s)" % (
        meta.get("cpu", "?"), meta.get("nproc", "?"), meta.get("mem", "?"), meta.get("kernel", "?"),
        meta.get("build_type", "?"), meta.get("cc", "?")))
    p("commit: %s   command: %s" % (meta.get("commit", "?"), meta.get("command", "?")))
    p("input: %s" % meta.get("corpus_note", "?"))
    p("load average (1/5/15 min) at start: %s, at end: %s%s" % (
        meta.get("loadavg_start", "?"), meta.get("loadavg_end", "?"),
        "; other busy processes at the end: " + meta["busy_others"] if meta.get("busy_others") else ""))
    p("")
    p("Segmentation, single thread, in-process: MB/s of UTF-8 input over wall-clock time, median")
    p("[min – max] of the runs; 'CPU' = MB per second of the process's CPU time (median), which")
    p("other processes on the machine do not inflate; 'zhseg ×' = zhseg's MB/s / the row's, wall")
    p("and CPU, for the same mode and HMM setting (ICU has no HMM: compared with precise, HMM on),")
    p("taken within each round of the run (%s) and then the median over the rounds."
      % ("%d rounds, zhseg and the peers one after another in each" % meta["rounds"]
         if meta.get("rounds", 1) > 1 else "one round"))
    p("")
    hdr = "%-9s %-8s %-4s %-28s %8s %5s %7s %7s %12s %8s %7s" % (
        "impl", "mode", "HMM", "MB/s (wall)", "CPU", "runs", "× wall", "× CPU", "units",
        "load ms", "RSS MB")
    p(hdr)
    p("-" * len(hdr))
    order = {"zhseg": 0, "icu": 1, "jieba-rs": 2, "jieba": 3}
    mode_order = {"precise": 0, "search": 1, "full": 2}
    seg_rows = sorted(seg(), key=lambda r: (mode_order.get(r["mode"], 9), not r["hmm"],
                                            order.get(r["impl"], 9), r["impl"]))
    for r in seg_rows:
        zm, zh = ("precise", True) if r["impl"] == "icu" else (r["mode"], r["hmm"])
        zr = first(seg("zhseg", zm, zh))
        wall = paired_ratio(zr, r) if r["impl"] != "zhseg" else None
        cpu = paired_ratio(zr, r, "cpu_mbps") if r["impl"] != "zhseg" else None
        r["zhseg_ratio"] = wall[0] if wall else None
        if cpu:
            r["zhseg_ratio_cpu"] = cpu[0]
        hm = "n/a" if r["impl"] == "icu" else ("on" if r["hmm"] else "off")
        if r["mode"] == "full":
            hm = "—"
        p("%-9s %-8s %-4s %-28s %8s %5d %7s %7s %12s %8s %7.1f" % (
            r["impl"], r["mode"], hm, fmt_mbps(r),
            "%.2f" % r["cpu_mbps_median"] if "cpu_mbps_median" in r else "—", r["runs"],
            "" if r["impl"] == "zhseg" else fmt_ratio(wall),
            "" if r["impl"] == "zhseg" else fmt_ratio(cpu),
            "%d %s" % (r.get("units", 0), {"tokens": "tok", "boundaries": "brk"}.get(r.get("units_name"), "")),
            "%.1f" % r["load_ms"] if "load_ms" in r else "—", r.get("maxrss_kb", 0) / 1024.0))
    for name, note in meta.get("missing", {}).items():
        p("%-9s not available: %s" % (name, note))
    p("(RSS is the whole bench process's peak, corpus in memory included. Node's CPU time counts its")
    p("GC and helper threads too.)")

    norm = [r for r in rows if r.get("bench") == "normalize"]
    p("")
    p("Normalizer (bench_normalize: its own input handling and method; median [min – max] of the runs):")
    for r in norm:
        if "mbps_median" in r:
            p("  %-42s %s wall, %s CPU  (%s runs, %.1f MB)" % (
                r.get("mode", "?"), fmt_mbps(r),
                "%.1f" % r["cpu_mbps_median"] if "cpu_mbps_median" in r else "—",
                r.get("runs", "?"), r.get("bytes", 0) / 1e6))
        else:
            p("  %s" % json.dumps(r, ensure_ascii=False))
    for r in [r for r in rows if r.get("bench") == "normalize-note"]:
        p("  | %s" % r["text"])
    for line in other:
        p("  | " + line)
    if not norm and not other and not any(r.get("bench") == "normalize-note" for r in rows):
        p("  not available: %s" % meta.get("normalize_note", "no bench_normalize in this build"))

    p("")
    p("Scaling: one shared dictionary, one segmenter per thread, each thread cuts the whole input;")
    p("aggregate MB/s, runs with 1 and 2 threads interleaved:")
    scaled = seg("zhseg", threads=2)
    if scaled:
        p("  %-8s %-4s %-28s %-28s %s" % ("mode", "HMM", "1 thread", "2 threads", "2/1"))
        for r2 in sorted(scaled, key=lambda r: (mode_order.get(r["mode"], 9), not r["hmm"])):
            r1 = first(seg("zhseg", r2["mode"], r2["hmm"]))
            p("  %-8s %-4s %-28s %-28s %.2f" % (r2["mode"], "on" if r2["hmm"] else "off",
                                               fmt_mbps(r1), fmt_mbps(r2),
                                               r2["mbps_median"] / r1["mbps_median"]))
    else:
        p("  not measured")
    for c in [r for r in rows if r.get("bench") == "control"]:
        p("  machine control: two independent single-thread %s processes at once give %.2f× the MB/s"
          % (c["impl"], c["ratio"]))
        p("  of one alone (%.1f + %.1f vs %.1f MB/s): the most 2 threads can gain on this machine now."
          % (c["pair_mbps"][0], c["pair_mbps"][1], c["single_mbps"]))

    p("")
    p("Whole `zhseg cut` process: all the command does at this commit (read, normalize if it does,")
    p("segment, format, write to /dev/null), wall clock from spawn to exit, dictionary open included;")
    p("MB/s of the input file's bytes (GB18030 spends 2 bytes on a Han character, UTF-8 3):")
    procs = [r for r in rows if r.get("bench") == "process"]
    for r in procs:
        p("  %-17s %s MB/s wall, %s MB/s CPU  (%d runs; %.3f s median; peak RSS %.1f MB)" % (
            r["impl"], fmt_mbps(r), "%.2f" % r["cpu_mbps_median"] if "cpu_mbps_median" in r else "—",
            r["runs"], r["seconds_median"], r["maxrss_kb"] / 1024.0))
        p("                    $ %s > /dev/null" % r["command"])
    if not procs:
        p("  not available: %s" % meta.get("process_note", "not measured"))

    p("")
    p("Instructions per input byte (valgrind callgrind, %s; does not move with the machine's noise):"
      % meta.get("callgrind_note", "?"))
    ins = [r for r in rows if r.get("bench") == "instructions"]
    for r in ins:
        hm = "n/a" if r["impl"] == "icu" else ("on" if r["hmm"] else "off")
        p("  %-9s %-8s %-4s %8.1f Ir/byte   (%s Ir over %d bytes; %s)" % (
            r["impl"], r["mode"], hm, r["instructions_per_byte"], format(r["instructions"], ","),
            r["bytes"], r["scope"]))
    if not ins:
        p("  not available: %s" % meta.get("callgrind_missing", "valgrind not found"))

    p("")
    p("Dictionary (default image):")
    dm = first([r for r in rows if r.get("bench") == "dictmem"])
    if dm:
        p("  image %.1f MB; one process opening it and cutting a sentence: peak RSS %.1f MB "
          "(%.1f MB before the open); checksum verify %.1f ms" % (
              dm["image_bytes"] / 1e6, dm["maxrss_after_kb"] / 1024.0,
              dm["maxrss_before_kb"] / 1024.0, dm["verify_ms"]))
    for r in [r for r in rows if r.get("bench") == "dictopen"]:
        extra = ""
        if r["cache"] == "cold":
            extra = "; eviction %s (resident after evict: median %.0f%%)" % (
                "worked" if r.get("eviction_worked") else "DID NOT WORK: these are warm figures",
                100 * r.get("resident_after_evict_median", -1))
        p("  %-4s open %.3f ms [%.3f – %.3f]; open + first cut %.3f ms [%.3f – %.3f]; %d runs%s" % (
            r["cache"], r["open_ms_median"], r["open_ms_min"], r["open_ms_max"],
            r["first_cut_ms_median"], r["first_cut_ms_min"], r["first_cut_ms_max"], r["runs"], extra))
    if not dm:
        p("  not measured")

    # Goals (issue 5), from this run's figures only.
    p("")
    p("Goals (single thread, precise mode, HMM on):")
    if meta.get("smoke"):
        p("  not judged: a smoke run's input is too small and its runs too few to quote")
    z = first(seg("zhseg", "precise", True))
    peers = [r for r in seg(mode="precise", hmm=None) if r["impl"] != "zhseg"
             and (r["hmm"] or r["impl"] == "icu")]
    fastest = max(peers, key=lambda r: r["mbps_median"]) if peers else None
    goals = []

    def goal(text, ok, detail):
        if meta.get("smoke"):
            return
        goals.append(dict(goal=text, met=ok, detail=detail))
        p("  [%s] %s: %s" % ("—" if ok is None else ("met" if ok else "NOT met"), text, detail))

    def cpu_note(zr, pr=None):
        if "cpu_mbps_median" not in zr or (pr is not None and "cpu_mbps_median" not in pr):
            return ""
        if pr is None:
            return " (CPU time: %.1f MB/s)" % zr["cpu_mbps_median"]
        return " (CPU time: %s)" % fmt_ratio(paired_ratio(zr, pr, "cpu_mbps"))

    if z:
        goal("core ≥ 200 MB/s", z["mbps_median"] >= 200,
             "%.1f MB/s wall%s" % (z["mbps_median"], cpu_note(z)))
        if fastest:
            zf = paired_ratio(z, fastest)
            goal("core ≥ 10× the fastest peer", zf[0] >= 10,
                 "%s %s (%.2f MB/s) wall%s" % (fmt_ratio_range(zf), fastest["impl"],
                                               fastest["mbps_median"], cpu_note(z, fastest)))
    else:
        goal("core ≥ 200 MB/s", None, "zhseg not measured")
    pr = first([r for r in procs if r["impl"] == "zhseg-cut"])
    if pr and meta.get("process_input", meta.get("corpus")) != meta.get("corpus"):
        goal("`zhseg cut` process ≥ 5× the fastest peer in-process", None,
             "not judged: the process read %s as given, the peers its UTF-8 text" % meta.get("process_input"))
    elif pr and fastest:
        pf = paired_ratio(pr, fastest)
        goal("`zhseg cut` process ≥ 5× the fastest peer in-process", pf[0] >= 5,
             "%s %s wall%s" % (fmt_ratio_range(pf), fastest["impl"], cpu_note(pr, fastest)))
    else:
        goal("`zhseg cut` process ≥ 5× the fastest peer in-process", None, "not measured")
    for r in [r for r in rows if r.get("bench") == "dictopen"]:
        goal("dictionary open < 5 ms (%s cache)" % r["cache"], r["open_ms_median"] < 5,
             "%.3f ms median" % r["open_ms_median"])

    text = "\n".join(out)
    print(text)
    result = dict(meta=meta, results=rows, unparsed=other, goals=goals,
                  fastest_peer=fastest["impl"] if fastest else None, table=text)
    with open(a.json, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
    if a.markdown:
        with open(a.markdown, "w", encoding="utf-8") as f:
            f.write("```\n" + text + "\n```\n")
    return 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="what", required=True)
    s = sub.add_parser("proc")
    s.add_argument("--name", required=True)
    s.add_argument("--bytes", type=int, required=True)
    s.add_argument("--runs", type=int, default=5)
    s.add_argument("cmd", nargs=argparse.REMAINDER)
    s = sub.add_parser("callgrind")
    s.add_argument("--name", required=True)
    s.add_argument("--mode", default="precise")
    s.add_argument("--hmm", default="on")
    s.add_argument("--scope", default="")
    s.add_argument("--bytes", type=int, required=True)
    s.add_argument("--log", required=True)
    s = sub.add_parser("normalize")
    s.add_argument("files", nargs="+")
    s = sub.add_parser("control")
    s.add_argument("--name", required=True)
    s.add_argument("--single", required=True)
    s.add_argument("pair", nargs=2)
    s = sub.add_parser("table")
    s.add_argument("--raw", required=True)
    s.add_argument("--meta", required=True)
    s.add_argument("--json", required=True)
    s.add_argument("--markdown")
    a = ap.parse_args()
    return {"proc": cmd_proc, "callgrind": cmd_callgrind, "control": cmd_control,
            "normalize": cmd_normalize,
            "table": cmd_table}[a.what](a)


if __name__ == "__main__":
    sys.exit(main())
