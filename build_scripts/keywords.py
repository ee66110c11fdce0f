"""Keyword chips for a theme page: the words that set its paragraphs apart, by TF-IDF.

jieba's bundled IDF table comes from general prose, where 推进、深化、打造 are
rare enough to score high; in a government report they are everywhere. So the
IDF here is measured on the report itself (each paragraph one document) and
blended with jieba's table: a word scores when it is frequent in the theme's
paragraphs, rare across the report, and not a stock word of official prose
(``data/stopwords.txt``).
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path

import jieba

from .errors import InputError
from .model import Report

DATA = Path(__file__).resolve().parent / "data"
USER_DICT = DATA / "jieba_userdict.txt"
STOPWORDS = DATA / "stopwords.txt"
# Nouns and verb-nouns make chips a reader can search; verbs, adjectives and place names (前埔, 湖滨) do not say what a theme is about.
CHIP_POS = ("n", "nz", "nt", "vn", "l", "eng")
USER_DICT_LINE = re.compile(r"^(?P<word>[^\s#]+)(?: (?P<freq>\d+))?(?: (?P<tag>[a-z]+))?$")


def read_user_dictionary(path: Path = USER_DICT) -> list[tuple[str, int | None, str | None]]:
    """The (word, frequency, tag) entries of a jieba user dictionary, rejecting malformed lines."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "file not found")
    entries, seen = [], set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        match = USER_DICT_LINE.match(line.strip())
        if not match:
            raise InputError(path, f"line {number}: expected 'word [frequency] [tag]', found {line!r}")
        if match["word"] in seen:
            raise InputError(path, f"line {number}: {match['word']} is listed twice")
        seen.add(match["word"])
        entries.append((match["word"], int(match["freq"]) if match["freq"] else None, match["tag"]))
    return entries


@lru_cache(maxsize=4)
def load_user_dictionary(path: Path = USER_DICT) -> jieba.Tokenizer:
    """jieba's shared tokenizer with the report's domain words (老旧小区, 城中村改造 …), loaded once per process.

    Shared with the search plugin, which loads the same user dictionary into it, so a
    build loads jieba's 20 MB dictionary once for both (the cleaner keeps a private,
    unmodified copy: its scores must not depend on domain words).
    """
    tokenizer = jieba.dt
    tokenizer.initialize()
    for word, freq, tag in read_user_dictionary(path):
        tokenizer.add_word(word, freq, tag)
    return tokenizer


@lru_cache(maxsize=4)
def pos_tokenizer(path: Path = USER_DICT) -> jieba.posseg.POSTokenizer:
    """A part-of-speech tagger on the domain tokenizer (nouns make chips, verbs do not)."""
    import jieba.posseg  # 0.4 s of tables: loaded only when chips are made, not on a cached rebuild

    return jieba.posseg.POSTokenizer(load_user_dictionary(path))


def cut(text: str) -> list[str]:
    """The words of ``text`` as the domain tokenizer cuts them."""
    return list(load_user_dictionary().cut(text))


@lru_cache(maxsize=4)
def load_stopwords(path: Path = STOPWORDS) -> frozenset[str]:
    """Stop words for government prose, one per line; ``#`` lines are notes."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "file not found")
    words: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        word = line.strip()
        if not word or word.startswith("#"):
            continue
        if any(ch.isspace() for ch in word):
            raise InputError(path, f"line {number}: one word per line, found {line!r}")
        if word in words:
            raise InputError(path, f"line {number}: {word} is listed twice")
        words.append(word)
    return frozenset(words)


@lru_cache(maxsize=8192)
def tagged_words(text: str) -> tuple[tuple[str, str], ...]:
    """(word, part of speech) of ``text``, cut once by the domain tokenizer (dictionary words, no HMM guessing).

    The HMM would guess unknown words, at about twenty times the cost; chips are nouns a
    reader can search, which the dictionaries hold.
    """
    return tuple((pair.word, pair.flag) for pair in pos_tokenizer().cut(text, HMM=False))


def report_idf(texts: list[str]) -> dict[str, float]:
    """Smoothed inverse document frequency of every word over ``texts`` (one paragraph each)."""
    documents = [{word for word, _ in tagged_words(text)} for text in texts]
    count = len(documents)
    frequency: dict[str, int] = {}
    for words in documents:
        for word in words:
            frequency[word] = frequency.get(word, 0) + 1
    return {word: math.log((count + 1) / (df + 1)) + 1 for word, df in frequency.items()}


@lru_cache(maxsize=8)
def _blended_idf(texts: tuple[str, ...]) -> tuple[dict[str, float], float]:
    """The report's IDF blended with jieba's general table, and its median (for words it has not seen)."""
    import jieba.analyse  # reads jieba's 6 MB IDF table: only when chips are made

    general = jieba.analyse.default_tfidf
    # Geometric blend: the report says what is local, jieba's table what is generic.
    blended = {w: math.sqrt(v * general.idf_freq.get(w, general.median_idf)) for w, v in report_idf(list(texts)).items()}
    median = sorted(blended.values())[len(blended) // 2] if blended else 1.0
    return blended, median


def theme_keywords(report: Report, theme: str, top: int = 8) -> list[str]:
    """The ``top`` keywords of one theme's paragraphs by TF-IDF, best first, ties in a fixed order."""
    texts = [b.text for b in report.paragraphs if b.text]
    chosen = [b.text for b in report.paragraphs if b.theme == theme and b.text]
    if not chosen:
        return []
    idf, median = _blended_idf(tuple(texts))
    stop = load_stopwords()
    counts: dict[str, int] = {}
    for text in chosen:
        for word, flag in tagged_words(text):
            if len(word.strip()) < 2 or flag not in CHIP_POS or word.lower() in stop or _is_number(word):
                continue
            counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts, key=lambda w: (-round(counts[w] * idf.get(w, median), 9), w))
    return ranked[:top]


def _is_number(word: str) -> bool:
    return bool(re.fullmatch(r"[\d.%+\-]+", word))
