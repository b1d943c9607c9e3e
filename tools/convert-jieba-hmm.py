#!/usr/bin/python3
"""One-off converter: jieba's finalseg HMM tables (Python literals) -> dict/jieba/hmm.tsv.

Run by a maintainer when the upstream tables change, never at build or run time:
    /usr/bin/python3 tools/convert-jieba-hmm.py /usr/lib/python3/dist-packages/jieba > dict/jieba/hmm.tsv
Output lines (TAB separated, UTF-8):
    start  STATE  LOGP
    trans  FROM   TO    LOGP
    emit   STATE  CHAR  LOGP
States are B, M, E, S. Missing entries mean "impossible" (log-probability -inf).
"""
import importlib.util
import pathlib
import sys


def load(root, name):
    spec = importlib.util.spec_from_file_location(name, pathlib.Path(root) / "finalseg" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.P


def main():
    root = sys.argv[1]
    out = sys.stdout
    out.write("# HMM tables of jieba 0.42.1 (finalseg), MIT license, see LICENSE beside this file\n")
    for state, p in sorted(load(root, "prob_start").items()):
        if p > -1e99:
            out.write(f"start\t{state}\t{p!r}\n")
    for src, row in sorted(load(root, "prob_trans").items()):
        for dst, p in sorted(row.items()):
            out.write(f"trans\t{src}\t{dst}\t{p!r}\n")
    for state, row in sorted(load(root, "prob_emit").items()):
        for ch, p in sorted(row.items()):
            out.write(f"emit\t{state}\t{ch}\t{p!r}\n")


if __name__ == "__main__":
    main()
