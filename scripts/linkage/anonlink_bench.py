#!/usr/bin/env python3
"""The peer of `curepath bench link`: anonlink matching the encodings and blocks curepath wrote.

Reference library (pinned; the version the benchmark in docs/PERFORMANCE.md was measured with):
    python3 -m venv /tmp/anonlinkvenv && /tmp/anonlinkvenv/bin/pip install anonlink==0.15.3
    curepath bench link --python /tmp/anonlinkvenv/bin/python

curepath runs this as a child process:  anonlink_bench.py --work-dir DIR
It reads DIR/manifest.json (bits per CLK, threshold, records a side) and, beside it:
    {a,b}.clk     every CLK as clkhash serializes it (bitarray bytes), one after another
    {a,b}.keys    every record's blocking keys, uint64 little-endian, record after record
    {a,b}.starts  uint64 little-endian: record r's keys are keys[starts[r]:starts[r+1]]
then runs anonlink exactly as its documentation describes blocked matching of two sources:
    candidate_generation.find_candidate_pairs([A, B], similarities.dice_coefficient_accelerated,
        threshold, blocking_f=<the record's keys>)
    solving.greedy_solve(candidates)
(anonlink 0.15.3's `find_candidate_pairs` takes the blocks as `blocking_f`, a function from
(dataset, record, CLK) to block ids; it builds the blocks itself, so that is inside the timing, as
curepath's index build is on its side.) It writes the matched pairs to DIR/anonlink-pairs.bin
(uint32 little-endian, left then right, pair after pair) and prints one JSON object on stdout.

Comparisons are counted as curepath counts them: one Dice coefficient per left record per right
record per block both are in, i.e. the sum over blocks of |A_b| * |B_b|. That is what
find_candidate_pairs computes (each block's members against each other, repeats across blocks
merged afterwards); it is counted here from the same keys, outside the timing.

`anonlink_bench.py --check` only imports anonlink and prints its version: curepath asks before
spending a minute encoding. Exit status 3, with one line on stderr, when anonlink cannot be imported.
"""
import argparse
import array
import collections
import importlib.metadata as md
import json
import os
import sys
import time

try:
    from anonlink import candidate_generation, similarities, solving
    from bitarray import bitarray
except ImportError as error:
    print(f"anonlink is not installed for {sys.executable} ({error}); pip install anonlink==0.15.3", file=sys.stderr)
    sys.exit(3)


def read_clks(path, bytes_per_clk):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) % bytes_per_clk:
        raise SystemExit(f"{path}: {len(data)} bytes is not a whole number of {bytes_per_clk}-byte CLKs")
    clks = []
    for offset in range(0, len(data), bytes_per_clk):
        clk = bitarray()
        clk.frombytes(data[offset:offset + bytes_per_clk])
        clks.append(clk)
    return clks


def read_u64(path):
    values = array.array("Q")
    with open(path, "rb") as f:
        values.frombytes(f.read())
    if sys.byteorder != "little":
        values.byteswap()
    return values


def read_keys(keys_path, starts_path, records):
    keys = read_u64(keys_path).tolist()
    starts = read_u64(starts_path).tolist()
    if len(starts) != records + 1 or starts[0] != 0 or starts[-1] != len(keys):
        raise SystemExit(f"{starts_path}: does not describe {records} records over {len(keys)} keys")
    return [tuple(keys[starts[r]:starts[r + 1]]) for r in range(records)]


def comparisons(keys_a, keys_b):
    count_a = collections.Counter(k for ks in keys_a for k in ks)
    count_b = collections.Counter(k for ks in keys_b for k in ks)
    return sum(n * count_b[k] for k, n in count_a.items() if k in count_b)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work-dir")
    parser.add_argument("--check", action="store_true", help="only report that anonlink imports, and its version")
    args = parser.parse_args()
    if args.check:
        print(json.dumps({"version": md.version("anonlink"), "python": sys.version.split()[0]}))
        return
    if not args.work_dir:
        parser.error("--work-dir is required")
    with open(os.path.join(args.work_dir, "manifest.json")) as f:
        manifest = json.load(f)
    path = lambda name: os.path.join(args.work_dir, name)
    bytes_per_clk = manifest["bits"] // 8

    started = time.perf_counter()
    a = read_clks(path("a.clk"), bytes_per_clk)
    b = read_clks(path("b.clk"), bytes_per_clk)
    if [len(a), len(b)] != manifest["records"]:
        raise SystemExit(f"{args.work_dir}: the CLK files hold {len(a)} + {len(b)} records, the manifest says {manifest['records']}")
    keys = [read_keys(path("a.keys"), path("a.starts"), len(a)), read_keys(path("b.keys"), path("b.starts"), len(b))]
    load_seconds = time.perf_counter() - started
    print(f"anonlink: read {len(a)} + {len(b)} CLKs and their keys in {load_seconds:.1f} s; matching", file=sys.stderr, flush=True)

    started = time.perf_counter()
    candidates = candidate_generation.find_candidate_pairs(
        [a, b], similarities.dice_coefficient_accelerated, manifest["threshold"],
        blocking_f=lambda dataset, record, _clk: keys[dataset][record])
    candidate_seconds = time.perf_counter() - started
    started = time.perf_counter()
    groups = solving.greedy_solve(candidates)
    solve_seconds = time.perf_counter() - started

    pairs = array.array("I", (index for pair in solving.pairs_from_groups(groups) for index in pair))
    if sys.byteorder != "little":
        pairs.byteswap()
    with open(os.path.join(args.work_dir, "anonlink-pairs.bin"), "wb") as f:
        pairs.tofile(f)

    print(json.dumps({
        "library": "anonlink",
        "version": md.version("anonlink"),
        "python": sys.version.split()[0],
        "loadSeconds": load_seconds,
        "candidateSeconds": candidate_seconds,
        "solveSeconds": solve_seconds,
        "comparisons": comparisons(keys[0], keys[1]),
        "candidates": len(candidates[0]),
        "pairs": len(pairs) // 2,
    }))


if __name__ == "__main__":
    main()
