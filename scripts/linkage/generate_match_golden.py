#!/usr/bin/env python3
"""Generate Tests/LinkageTests/Golden/anonlink-match.json: anonlink's candidates and greedy matches
on small fixed inputs, which the Swift ParallelMatcher and GreedySolver must reproduce exactly.

Reference library (pin it; the same version as scripts/linkage/anonlink_bench.py):
    python3 -m venv /tmp/anonlinkvenv && /tmp/anonlinkvenv/bin/pip install anonlink==0.15.3
    /tmp/anonlinkvenv/bin/python scripts/linkage/generate_match_golden.py

The inputs are built to be hard on tie-breaking: short filters with few bits set, many exact
duplicates and near-duplicates, so many pairs have equal Dice scores and records compete for the
same partner; records carry two or three blocking keys, so pairs repeat across blocks. A 1024-bit
case exercises the unrolled 16-word path. Deterministic: a fixed seed.
"""
import base64
import importlib.metadata as md
import json
import os
import random
import sys

from bitarray import bitarray
from anonlink import candidate_generation, similarities, solving

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "LinkageTests", "Golden", "anonlink-match.json")


def serialize(f):
    return base64.b64encode(f.tobytes()).decode("ascii")


def random_filter(rng, bits, ones):
    f = bitarray(bits)
    f.setall(0)
    for i in rng.sample(range(bits), ones):
        f[i] = 1
    return f


def mutate(rng, f, flips):
    g = f.copy()
    for i in rng.sample(range(len(g)), flips):
        g[i] = not g[i]
    return g


def case(name, seed, bits, ones, n_left, n_right, flips, n_keys, threshold):
    rng = random.Random(seed)
    base = [random_filter(rng, bits, ones) for _ in range(max(n_left, n_right) // 2)]
    # Each side draws from the same small pool of people, exactly or with a few flipped bits:
    # duplicates within a side make equal scores and competition for one partner.
    left = [mutate(rng, rng.choice(base), rng.choice(flips)) for _ in range(n_left)]
    right = [mutate(rng, rng.choice(base), rng.choice(flips)) for _ in range(n_right)]
    left_keys = [sorted(rng.sample(range(n_keys), rng.choice([1, 2, 3]))) for _ in left]
    right_keys = [sorted(rng.sample(range(n_keys), rng.choice([1, 2, 3]))) for _ in right]
    keys = [left_keys, right_keys]
    cands = candidate_generation.find_candidate_pairs(
        [left, right], similarities.dice_coefficient_accelerated, threshold,
        blocking_f=lambda d, r, _: keys[d][r])
    sims, (d0, d1), (r0, r1) = cands
    assert all(a == 0 for a in d0) and all(b == 1 for b in d1)
    groups = solving.greedy_solve(cands)
    pairs = sorted(solving.pairs_from_groups(groups))
    comparisons = 0
    for k in range(n_keys):
        comparisons += sum(k in ks for ks in left_keys) * sum(k in ks for ks in right_keys)
    print(f"{name}: {len(sims)} candidates, {len(pairs)} pairs, {comparisons} comparisons, "
          f"{len(sims) - len(set(sims))} tied scores", file=sys.stderr)
    return {
        "name": name, "bits": bits, "threshold": threshold, "comparisons": comparisons,
        # Filters as clkhash serializes them (base64 of bitarray's bytes).
        "left": [serialize(f) for f in left], "right": [serialize(f) for f in right],
        "leftKeys": left_keys, "rightKeys": right_keys,
        # Scores as exact hexadecimal floats, in anonlink's order.
        "candidates": [[s.hex(), a, b] for s, a, b in zip(sims, r0, r1)],
        "pairs": [list(p) for p in pairs],
    }


if __name__ == "__main__":
    cases = [
        case("ties-128", seed=8, bits=128, ones=12, n_left=80, n_right=70, flips=[0, 0, 1, 2], n_keys=6, threshold=0.6),
        case("ties-256", seed=9, bits=256, ones=20, n_left=120, n_right=120, flips=[0, 1, 2, 4], n_keys=10, threshold=0.7),
        case("registry-1024", seed=10, bits=1024, ones=260, n_left=90, n_right=80, flips=[0, 10, 30, 80], n_keys=6, threshold=0.8),
    ]
    # One case a line: small enough to review, and a regenerated file diffs by case.
    with open(OUT, "w") as f:
        f.write('{"library": "anonlink", "version": %s, "cases": [\n' % json.dumps(md.version("anonlink")))
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
        f.write("\n]}\n")
    print("wrote", os.path.normpath(OUT), file=sys.stderr)
