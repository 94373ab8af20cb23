#!/usr/bin/env python3
"""Cut the report's four tcpdump traces and their client screen listings out of the seed.

Usage: scripts/cut-report.py [SEED] [OUTDIR]
Defaults: shared/seed/000_85775b57d986e02e.txt one or two levels above the repository root (else
the copy in fixtures/report/), and fixtures/report/. The text is copied line for line, never retyped: each section of the seed
(headed `TCP SESSION`, `TCP SESSION CONTINUOUS`, `UDP SESSION`, `UDP SESSION CONTINUOUS`, ended
by the next heading or `Design Review`) splits at the first line holding `tcpdump -nnvvXSs`:
the lines before it are the client's screen (`<name>.screen.txt`), the lines from it on are the
trace (`<name>.txt`).
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED_NAME = "000_85775b57d986e02e.txt"
# The seed sits in shared/seed/ beside the checkout (one or two levels up).
SEEDS = [os.path.join(ROOT, *([".."] * up), "shared", "seed", SEED_NAME) for up in (1, 2)]
# A copy travels with the repository, so a fresh clone can re-cut the traces on its own.
SEEDS.append(os.path.join(ROOT, "fixtures", "report", SEED_NAME))
SECTIONS = [
    ("TCP SESSION", "tcp-line"),
    ("TCP SESSION CONTINUOUS", "tcp-continuous"),
    ("UDP SESSION", "udp-line"),
    ("UDP SESSION CONTINUOUS", "udp-continuous"),
]
END = "Design Review"


def main():
    seed = sys.argv[1] if len(sys.argv) > 1 else next((p for p in SEEDS if os.path.exists(p)), SEEDS[0])
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "fixtures", "report")
    with open(seed, encoding="utf-8") as f:
        lines = f.read().split("\n")
    heads = {h for h, _ in SECTIONS} | {END}
    starts = [i for i, l in enumerate(lines) if l.strip() in heads]
    for heading, name in SECTIONS:
        begin = next(i for i in starts if lines[i].strip() == heading)
        end = next(i for i in starts if i > begin)
        body = lines[begin + 1 : end]
        cut = next(i for i, l in enumerate(body) if "tcpdump -nnvvXSs" in l)
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, name + ".screen.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(body[:cut]).strip("\n") + "\n")
        with open(os.path.join(out, name + ".txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(body[cut:]).strip("\n") + "\n")
        print(f"{name}: lines {begin + 2 + cut}-{end} of the seed")


if __name__ == "__main__":
    main()
