"""Recall and false positives of Victor's scanner against detect-secrets on the labelled corpus in
../shared/secrets-corpus (override with SECRETS_CORPUS=dir). Each item is scanned as one file named
`item<ext>`; any finding counts as flagged.

Then Victor's recall on hidden variants of the positives whose `secret` it finds standing alone (a
token that says what it is): the secret base64-encoded, hex-encoded, and split in two literals over
two lines. Usage: python bench/secrets_corpus.py [--victor-only]"""

from __future__ import annotations

import base64
import binascii
import json
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

CORPUS = Path(os.environ.get("SECRETS_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "secrets-corpus"))
CLEAN = ("gitleaks-fp", "detect-secrets-negative")


def load(name: str) -> list[dict]:
    with open(CORPUS / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def item_name(item: dict) -> str:
    ext = item["ext"] if item["ext"].startswith(".") else "." + item["ext"]
    return "item" + ext


def victor_flags(item: dict) -> bool:
    from victor.secrets import scan_text

    return bool(scan_text(item["text"], path=item_name(item)))


def detect_secrets_flags_factory():  # noqa: ANN201
    from detect_secrets.core.scan import scan_file
    from detect_secrets.settings import default_settings

    workdir = Path(tempfile.mkdtemp(prefix="ds-corpus-"))

    def flags(item: dict) -> bool:
        path = workdir / item_name(item)
        path.write_text(item["text"], encoding="utf-8")
        with default_settings():
            return any(True for _ in scan_file(str(path)))

    return flags


def rate(hits: int, total: int) -> str:
    return f"{100 * hits / total:5.1f}% ({hits}/{total})" if total else "  n/a"


def report(name: str, flags, positives: list[dict], negatives: list[dict]) -> dict[str, float]:  # noqa: ANN001
    by_origin: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    found = 0
    for item in positives:
        hit = flags(item)
        found += hit
        for table, key in ((by_origin, item["origin"]), (by_kind, item["kind"])):
            table[key][0] += hit
            table[key][1] += 1
    clean = [item for item in negatives if item.get("neg_class") in CLEAN]
    false_positives = sum(flags(item) for item in clean)
    noisy = [item for item in negatives if item.get("neg_class") not in CLEAN]
    noisy_flagged = sum(flags(item) for item in noisy)
    print(f"\n== {name}")
    print(f"recall, all:              {rate(found, len(positives))}")
    for origin, (hits, total) in sorted(by_origin.items()):
        print(f"  origin {origin:28} {rate(hits, total)}")
    for kind, (hits, total) in sorted(by_kind.items()):
        print(f"  kind   {kind:28} {rate(hits, total)}")
    print(f"FP on clean negatives:    {rate(false_positives, len(clean))}")
    print(f"flagged near-misses (noisy labels, for information): {rate(noisy_flagged, len(noisy))}")
    return {"recall": found / len(positives), "fp": false_positives / max(len(clean), 1)}


def hidden_variants(secret: str) -> dict[str, str]:
    half = len(secret) // 2
    return {
        "base64": f"value: {base64.b64encode(secret.encode()).decode()}\n",
        "hex": f"value: {binascii.hexlify(secret.encode()).decode()}\n",
        "split": f'value = ("{secret[:half]}"\n         "{secret[half:]}")\n',
    }


def report_hidden(positives: list[dict]) -> None:
    from victor.secrets import scan_text

    standing = [item["secret"] for item in positives
                if item.get("secret") and '"' not in item["secret"] and scan_text(item["secret"], path="item.txt")]
    found: dict[str, int] = defaultdict(int)
    for secret in standing:
        for how, text in hidden_variants(secret).items():
            found[how] += bool(scan_text(text, path="item.py"))
    print(f"\n== victor on hidden variants of the {len(standing)} secrets it finds standing alone")
    for how, hits in found.items():
        print(f"  {how:8} {rate(hits, len(standing))}")


def main() -> None:
    positives, negatives = load("positives.jsonl"), load("negatives.jsonl")
    ours = report("victor", victor_flags, positives, negatives)
    report_hidden(positives)
    if "--victor-only" in sys.argv:
        return
    theirs = report("detect-secrets (default plugins)", detect_secrets_flags_factory(), positives, negatives)
    print("\n== ratios (victor / detect-secrets)")
    print(f"recall: {ours['recall'] / theirs['recall']:.2f}x   false positives: "
          f"{ours['fp'] / theirs['fp'] if theirs['fp'] else float('nan'):.2f}x")


if __name__ == "__main__":
    main()
