"""Rebuild the diacritic-restoration model shipped in `src/cchc/data/diacritics.bin`.

    .venv/bin/python tools/build_diacritics_model.py [--corpus ../shared/corpus] [--order 4]

Data: the Markdown documents of `../shared/corpus/docs` (456 Vietnamese legal and administrative
documents of 2025) and the sample documents in `src/cchc/samples`. (Adding underthesea's
Viet74K word list, VLSP 2013 text and place names was tried: no gain on the held-out split, and
slower decoding, so the model is built from the corpus alone.) Documents whose held-out key
(`held_out(name)`) is true are left out, so `bench/repair.py` measures on text the model never saw.
The model is: for each folded syllable, the marked forms seen with their counts; n-gram counts up
to `--order` over lower-cased syllables (every number one token, `tokens.NUMBER`), which serve
the decoder reading left to right and right to left; 3+-grams rarer than `--min-count` pruned
(`--min-count 2` halves the file but cost 0.06 points on a dev split).
"""

from __future__ import annotations

import argparse
import hashlib
import marshal
import sys
import zlib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from cchc.parse.markup import to_lines  # noqa: E402
from cchc.repair.diacritics import END, START  # noqa: E402
from cchc.repair.tokens import NUMBER, training_sequences  # noqa: E402
from cchc.text import canonical, fold, nfc  # noqa: E402

OUT = ROOT / "src" / "cchc" / "data" / "diacritics.bin"


def held_out(name: str) -> bool:
    """One document in ten, chosen by a hash of its file name, is kept for the benchmark."""
    return hashlib.sha1(name.encode()).digest()[0] % 10 == 0


def corpus_texts(corpus: Path, split: str):
    for path in sorted((corpus / "docs").glob("*.md")):
        if held_out(path.name) == (split == "test"):
            yield path.name, "\n".join(to_lines(nfc(path.read_text(encoding="utf-8"))))


def _count(sequences: list[list[int]], order: int, size: int, min_count: int):
    """n-gram tables of id sequences (keys packed as base-`size` numbers) and, per context, how
    many different syllables follow it and how many precede it (for the Witten-Bell weight of
    backing off from it, reading left to right and right to left)."""
    grams = [Counter() for _ in range(order)]
    for seq in sequences:
        # The padding, <s> before and </s> after, gives the syllables at either end a context, and
        # every context a count.
        ids = [START] * (order - 1) + seq + [END] * (order - 1)
        for n in range(1, order + 1):
            counter = grams[n - 1]
            for i in range(len(ids) - n + 1):
                counter[tuple(ids[i : i + n])] += 1
    followers: list[dict[int, int]] = [{} for _ in range(order)]
    preceders: list[dict[int, int]] = [{} for _ in range(order)]
    packed = []
    for n, counter in enumerate(grams, start=1):
        table = {}
        for gram, count in counter.items():
            key = 0
            for token in gram:
                key = key * size + token
            if n > 1:
                before, after = key // size, key % size ** (n - 1)
                followers[n - 1][before] = followers[n - 1].get(before, 0) + 1
                preceders[n - 1][after] = preceders[n - 1].get(after, 0) + 1
            if n <= 2 or count >= min_count:
                table[key] = count
        packed.append(table)
    return packed, followers, preceders


def build(texts, order: int, min_count: int = 2) -> dict:
    forms: dict[str, Counter] = {}
    vocab: dict[str, int] = {"<s>": START, "</s>": END}
    sequences = []
    for text in texts:
        for seq in training_sequences(text):
            ids = []
            for syl in seq:
                syl = canonical(syl)
                if syl != NUMBER:
                    forms.setdefault(fold(syl), Counter())[syl] += 1
                ids.append(vocab.setdefault(syl, len(vocab)))
            sequences.append(ids)
    grams, followers, preceders = _count(sequences, order, len(vocab), min_count)
    words = [w for w, _ in sorted(vocab.items(), key=lambda kv: kv[1])]
    candidates = {key: [w for w, _ in c.most_common()] for key, c in forms.items()}
    return {
        "order": order,
        "words": words,
        "candidates": candidates,
        "grams": grams,
        "followers": followers,
        "preceders": preceders,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--order", type=int, default=4)
    parser.add_argument("--min-count", type=int, default=1, help="drop rarer 3+-grams")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    samples = ROOT / "src" / "cchc" / "samples"
    texts = [t for _, t in corpus_texts(args.corpus, "train")]
    texts += [
        p.read_text(encoding="utf-8")
        for p in sorted(samples.glob("*.*"))
        if p.suffix != ".md" or p.name != "README.md"
    ]
    model = build(texts, args.order, args.min_count)
    data = zlib.compress(marshal.dumps(model), 6)
    args.out.write_bytes(data)
    sizes = ", ".join(f"{n + 1}-grams {len(t)}" for n, t in enumerate(model["grams"]))
    print(f"wrote {args.out} ({len(data) / 1e6:.1f} MB): {len(model['words'])} syllables, {sizes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
