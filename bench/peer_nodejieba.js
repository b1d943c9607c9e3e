#!/usr/bin/env node
// peer_nodejieba: the optional jieba-rs peer, through @node-rs/jieba (Rust,
// N-API). Never a build dependency: bench/run uses it only when it is
// installed, with
//   npm install --no-save --no-package-lock --prefix bench @node-rs/jieba@2
// (bench/node_modules is git-ignored), or when NODE_PATH finds it.
//
// Timed as bench_segment times zhseg: the corpus in memory, split into the
// same lines (newline kept, lines over 64 KiB split as bench_common.h does);
// each line is handed to jieba.cut() as a Buffer of UTF-8 bytes (made outside
// the timing), so the figure includes the binding's crossing into Rust and the
// building of the JS array of strings, as any Node user pays.
//
//   node bench/peer_nodejieba.js [--runs N] [--modes precise,precise-nohmm,search,full]
//                                [--limit BYTES] FILE
// Prints one JSON line per measurement (schema: bench/bench_common.h).
'use strict';
const fs = require('fs');
const path = require('path');

const MAX_PIECE = 64 * 1024;

function splitPoint(b, off, limit) {
  const stop = off + limit - Math.floor(limit / 4);
  for (let i = off + limit; i >= 3 && i > stop; i--)
    if (b[i - 3] === 0xe3 && b[i - 2] === 0x80 && b[i - 1] === 0x82) return i - off;
  let i = off + limit;
  while (i > off + 1 && (b[i] & 0xc0) === 0x80) i--;
  return i - off;
}

function pieces(data) {
  const out = [];
  let i = 0;
  const n = data.length;
  while (i < n) {
    const nl = data.indexOf(0x0a, i);
    const end = nl < 0 ? n : nl + 1;
    while (end - i > MAX_PIECE) {
      const cut = splitPoint(data, i, MAX_PIECE);
      out.push(data.subarray(i, i + cut));
      i += cut;
    }
    if (end > i) out.push(data.subarray(i, end));
    i = end;
  }
  return out;
}

function load(name) {
  const tries = [path.join(__dirname, 'node_modules', name), name];
  for (const t of tries) {
    try { return require(t); } catch (e) { /* next */ }
  }
  return null;
}

function stats(name, v) {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { [name]: v.map((x) => Math.round(x * 1e4) / 1e4), [name + '_median']: m,
           [name + '_min']: s[0], [name + '_max']: s[s.length - 1] };
}

// CPU time of the process (user + system), in seconds.
function cpuNow() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function main() {
  const argv = process.argv.slice(2);
  let runs = 5, modes = 'precise,precise-nohmm', limit = 0, file = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') runs = parseInt(argv[++i], 10);
    else if (argv[i] === '--modes') modes = argv[++i];
    else if (argv[i] === '--limit') limit = parseInt(argv[++i], 10);
    else if (file === null) file = argv[i];
    else { console.error('peer_nodejieba: unexpected argument ' + argv[i]); return 2; }
  }
  if (file === null || !(runs >= 1)) { console.error('usage: peer_nodejieba.js [--runs N] [--modes M] [--limit BYTES] FILE'); return 2; }

  const mod = load('@node-rs/jieba');
  const dictMod = load('@node-rs/jieba/dict');
  if (mod === null || dictMod === null || typeof mod.Jieba !== 'function') {
    console.error('peer_nodejieba: @node-rs/jieba (2.x) not found; see bench/README.md');
    return 3;
  }
  let version = '?';
  try { version = JSON.parse(fs.readFileSync(require.resolve(path.join(__dirname, 'node_modules/@node-rs/jieba/package.json')))).version; } catch (e) {
    try { version = require('@node-rs/jieba/package.json').version; } catch (e2) { /* unknown */ }
  }

  let data = fs.readFileSync(file);
  if (limit > 0 && data.length > limit) {
    const k = data.lastIndexOf(0x0a, limit - 1);
    data = data.subarray(0, k >= limit / 2 ? k + 1 : splitPoint(data, 0, limit));
  }
  const lines = pieces(data).map((p) => Buffer.from(p));

  const t0 = process.hrtime.bigint();
  const jieba = mod.Jieba.withDict(dictMod.dict);
  jieba.cut('我们在社区开展志愿服务', true);
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;

  const table = {
    'precise': ['precise', true, (s) => jieba.cut(s, true)],
    'precise-nohmm': ['precise', false, (s) => jieba.cut(s, false)],
    'search': ['search', true, (s) => jieba.cutForSearch(s, true)],
    'full': ['full', false, (s) => jieba.cutAll(s)],
  };
  for (const key of modes.split(',')) {
    if (!(key in table)) { console.error('peer_nodejieba: unknown mode ' + key); return 2; }
    const [mode, hmm, fn] = table[key];
    let tokens = 0;
    for (const s of lines) tokens += fn(s).length; // untimed pass: count and warm up
    const mbps = [], cpuMbps = [];
    for (let r = 0; r < runs; r++) {
      const c = cpuNow();
      const t = process.hrtime.bigint();
      let n = 0;
      for (const s of lines) n += fn(s).length;
      mbps.push(data.length / 1e6 / (Number(process.hrtime.bigint() - t) / 1e9));
      cpuMbps.push(data.length / 1e6 / (cpuNow() - c));
      if (n !== tokens) { console.error('peer_nodejieba: token count changed between runs'); return 1; }
    }
    console.log(JSON.stringify({
      bench: 'segment', impl: 'jieba-rs', mode, hmm, threads: 1, bytes: data.length,
      lines: lines.length, runs, ...stats('mbps', mbps), ...stats('cpu_mbps', cpuMbps), units: tokens, units_name: 'tokens',
      load_ms: Math.round(loadMs * 1000) / 1000, maxrss_kb: process.resourceUsage().maxRSS,
      version: '@node-rs/jieba ' + version, node: process.version,
    }));
  }
  return 0;
}

process.exitCode = main();
