#!/usr/bin/python3
"""Reference segmentation by jieba for the differential tests (test only).

Usage: jieba_ref.py HMM(0|1) INPUT
Prints, for each input line, jieba.cut(line, HMM=...) joined by " | ".
"""
import sys

import jieba

jieba.setLogLevel(60)
hmm = sys.argv[1] == "1"
out = []
with open(sys.argv[2], encoding="utf-8") as f:
    for line in f:
        line = line.rstrip("\n")
        out.append(" | ".join(w for w in jieba.cut(line, HMM=hmm) if not w.isspace()))
sys.stdout.write("\n".join(out) + "\n")
