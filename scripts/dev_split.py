#!/usr/bin/env python3
"""Split a development corpus into a part to tune on and a part to check on.

Rules tuned on the sentences they were written for do not carry over (the UCDP
headlines scored far below our own sets), so every change is judged on the half
it was not made on.  The split is a hash of the document id: stable across
sessions and machines, independent of file order.

    python scripts/dev_split.py ../shared/eval/dev/ucdp_dev.jsonl --part tune  -o /tmp/ucdp_tune.jsonl
    python scripts/dev_split.py ../shared/eval/dev/ucdp_dev.jsonl --part check -o /tmp/ucdp_check.jsonl

The parts are written outside the repository (the corpora are not ours to copy).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys


def part_of(doc_id: str) -> str:
    """'tune' for about half the ids, 'check' for the rest."""
    digest = hashlib.sha256(str(doc_id).encode("utf-8")).digest()
    return "tune" if digest[0] % 2 == 0 else "check"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--part", choices=("tune", "check"), required=True)
    ap.add_argument("-o", "--output", default="-")
    args = ap.parse_args(argv)
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    n = 0
    with open(args.corpus, encoding="utf-8") as f:
        for line in f:
            if line.strip() and part_of(json.loads(line)["id"]) == args.part:
                out.write(line)
                n += 1
    if out is not sys.stdout:
        out.close()
    print(f"{n} documents in the {args.part} part", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
