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
from collections import Counter
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Optional

import jieba

from . import dictionary
from .errors import InputError
from .model import Report

DATA = Path(__file__).resolve().parent / "data"
USER_DICT = DATA / "jieba_userdict.txt"
STOPWORDS = DATA / "stopwords.txt"
# jieba's IDF table, read directly: importing jieba.analyse would also load jieba.posseg's tables (0.4 s).
GENERAL_IDF = Path(jieba.__file__).resolve().parent / "analyse" / "idf.txt"
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
    unmodified copy: its scores must not depend on domain words; see ``dictionary``).
    """
    tokenizer = dictionary.initialise()
    for word, freq, tag in read_user_dictionary(path):
        tokenizer.add_word(word, freq, tag)
    return tokenizer


def cut(text: str) -> list[str]:
    """The words of ``text`` as the domain tokenizer cuts them: ``jieba.cut``, the HMM guessing unknown words."""
    tokenizer = load_user_dictionary()
    words: list[str] = []
    for block in jieba.re_han_default.split(text):
        if not block:
            continue
        if jieba.re_han_default.match(block):
            words += _block_words(block, tokenizer)
        else:
            for piece in jieba.re_skip_default.split(block):
                words += [piece] if jieba.re_skip_default.match(piece) else list(piece)
    return words


def _block_words(block: str, tokenizer: jieba.Tokenizer) -> list[str]:
    """jieba's cut of one run of word characters: its best path, single characters it does not know to the HMM."""
    words, buf = [], ""
    for word in best_words(block):
        if len(word) == 1:
            buf += word
        else:
            if buf:
                words += _single_run(buf, tokenizer)
                buf = ""
            words.append(word)
    if buf:
        words += _single_run(buf, tokenizer)
    return words


def _single_run(buf: str, tokenizer: jieba.Tokenizer) -> list[str]:
    # As jieba does: a lone character is a word, an unknown run goes to the HMM, a known word stays in characters.
    if len(buf) == 1:
        return [buf]
    if not tokenizer.FREQ.get(buf):
        return list(_hmm_words(buf, len(jieba.finalseg.Force_Split_Words)))
    return list(buf)


@lru_cache(maxsize=8192)
def _hmm_words(buf: str, force_split: int) -> tuple[str, ...]:
    # The HMM's cut depends on the run and on the words it must split (a set that only grows, hence its
    # size in the key); the same runs recur across paragraphs.
    return tuple(jieba.finalseg.cut(buf))


def best_words(block: str) -> tuple[str, ...]:
    """The words of a run of word characters along jieba's best path through its dictionary (no HMM).

    The same runs are cut for the themes (with the HMM) and for the keyword chips (without),
    so the costly part of jieba's cut, the path through its dictionary, is found once for both.
    """
    tokenizer = load_user_dictionary()
    # The dictionary's total moves when a word is added, so a path is never reused across dictionaries.
    return _best_words(block, tokenizer.total)


@lru_cache(maxsize=16384)
def _best_words(block: str, total: int) -> tuple[str, ...]:
    ends, words, start = _best_path(block, total), [], 0
    while start < len(block):
        end = ends[start] + 1
        words.append(block[start:end])
        start = end
    return tuple(words)


def _best_path(block: str, total: int) -> list[int]:
    """For each character of the run, where the word starting there ends in jieba's best cut."""
    # jieba's get_DAG and calc in one pass from the end, without the DAG's dict of lists: the same sums in
    # the same order, so the same floats, and ties go to the longer word as in calc's max((score, end)).
    freq_of = load_user_dictionary().FREQ.get
    log, log_total = math.log, math.log(total)
    size = len(block)
    score = [0.0] * (size + 1)
    ends = [0] * size
    for start in range(size - 1, -1, -1):
        best, best_end = -math.inf, -1
        end, count = start, freq_of(block[start])
        while count is not None:  # the fragment is a word or the start of one: try one character more
            if count:
                value = log(count) - log_total + score[end + 1]
                if value >= best:
                    best, best_end = value, end
            end += 1
            count = freq_of(block[start:end + 1]) if end < size else None
        if best_end < 0:  # no word starts here: the character alone, as an unknown word
            best, best_end = log(1) - log_total + score[start + 1], start
        score[start], ends[start] = best, best_end
    return ends


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
    """(word, part of speech) of ``text`` as ``jieba.posseg`` tags it without the HMM (dictionary words, no guessing).

    The HMM would guess unknown words, at about twenty times the cost; chips are nouns a
    reader can search, which the dictionaries hold.
    """
    tags = word_tags()
    pairs: list[tuple[str, str]] = []
    for block in _POS_BLOCK.split(text):
        if _POS_BLOCK.match(block):
            pairs += _tagged_block(block, tags)
            continue
        for piece in _POS_SKIP.split(block):
            if _POS_SKIP.match(piece):
                pairs.append((piece, "x"))
            else:
                # jieba.posseg tags a digit m and a latin piece's characters eng, anything else x; outside
                # a block (which takes every latin letter, digit and dot) there is only "anything else".
                pairs += [(ch, "x") for ch in piece]
    return tuple(pairs)


def _tagged_block(block: str, tags: dict[str, str]) -> list[tuple[str, str]]:
    if not _LATIN.search(block):  # the usual run, all Chinese: every word takes its tag
        return [(word, tags.get(word, "x")) for word in best_words(block)]
    pairs, latin = [], ""
    for word in best_words(block):
        if word in _LATIN_CHARS:  # single latin letters and digits gather into one eng word
            latin += word
        else:
            if latin:
                pairs.append((latin, "eng"))
                latin = ""
            pairs.append((word, tags.get(word, "x")))
    if latin:
        pairs.append((latin, "eng"))
    return pairs


# jieba.posseg's own patterns (0.42.1), so the blocks and tags are the ones it makes.
_POS_BLOCK = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&\._]+)")
_POS_SKIP = re.compile(r"(\r\n|\s)")
# posseg's re.compile("^[a-zA-Z0-9]$") as a set of single characters: the test runs once per word.
_LATIN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_LATIN = re.compile("[a-zA-Z0-9]")


def word_tags() -> dict[str, str]:
    """Part of speech of every dictionary word: jieba's dictionary, then the domain words' own tags."""
    tokenizer = load_user_dictionary()
    tags = _dictionary_tags(tokenizer.dictionary)
    if tokenizer.user_word_tag_tab:  # what posseg merges in before each cut
        tags.update(tokenizer.user_word_tag_tab)
    return tags


@lru_cache(maxsize=2)
def _dictionary_tags(dictionary: Optional[str]) -> dict[str, str]:
    """The tag column of jieba's dictionary file (word, frequency, tag on each line), read in one pass."""
    with load_user_dictionary().get_dict_file() as handle:
        fields = handle.read().decode("utf-8").split()
    if len(fields) % 3:
        raise InputError(str(dictionary or "jieba's dictionary"), "expected 'word frequency tag' on every line")
    return dict(zip(fields[0::3], fields[2::3]))


def report_idf(texts: list[str]) -> dict[str, float]:
    """Smoothed inverse document frequency of every word over ``texts`` (one paragraph each)."""
    documents = [{word for word, _ in tagged_words(text)} for text in texts]
    count = len(documents)
    frequency = Counter(chain.from_iterable(documents))  # counted in C: a paragraph's words, once each
    return {word: math.log((count + 1) / (df + 1)) + 1 for word, df in frequency.items()}


@lru_cache(maxsize=8)
def _blended_idf(texts: tuple[str, ...]) -> tuple[dict[str, float], float]:
    """The report's IDF blended with jieba's general table, and its median (for words it has not seen)."""
    general, general_median = general_idf()
    # Geometric blend: the report says what is local, jieba's table what is generic.
    blended = {w: math.sqrt(v * general.get(w, general_median)) for w, v in report_idf(list(texts)).items()}
    median = sorted(blended.values())[len(blended) // 2] if blended else 1.0
    return blended, median


@lru_cache(maxsize=1)
def general_idf() -> tuple[dict[str, float], float]:
    """jieba's IDF table of general prose (word, IDF on each line) and its median, as ``jieba.analyse`` reads it."""
    with open(GENERAL_IDF, "rb") as handle:
        fields = handle.read().decode("utf-8").split()
    if len(fields) % 2:
        raise InputError(GENERAL_IDF, "expected 'word idf' on every line")
    idf = dict(zip(fields[0::2], map(float, fields[1::2])))
    return idf, sorted(idf.values())[len(idf) // 2]


# The chips of the last report asked about, by (theme, top): its overview, theme pages and section embeds
# each ask for the same ones.
_LAST_CHIPS: list = []  # [(report, {(theme, top): chips})]


def theme_keywords(report: Report, theme: str, top: int = 8) -> list[str]:
    """The ``top`` keywords of one theme's paragraphs by TF-IDF, best first, ties in a fixed order."""
    if not _LAST_CHIPS or _LAST_CHIPS[0][0] is not report:
        _LAST_CHIPS[:] = [(report, {})]
    known = _LAST_CHIPS[0][1]
    if (theme, top) not in known:
        known[(theme, top)] = _theme_keywords(report, theme, top)
    return list(known[(theme, top)])


def _theme_keywords(report: Report, theme: str, top: int) -> list[str]:
    texts = [b.text for b in report.paragraphs if b.text]
    chosen = [b.text for b in report.paragraphs if b.theme == theme and b.text]
    if not chosen:
        return []
    idf, median = _blended_idf(tuple(texts))
    counts: dict[str, int] = {}
    for text in chosen:
        for word in _chip_candidates(text):
            counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts, key=lambda w: (-round(counts[w] * idf.get(w, median), 9), w))
    return ranked[:top]


@lru_cache(maxsize=8192)
def _chip_candidates(text: str) -> tuple[str, ...]:
    """The words of one paragraph that can be chips: two characters or more, a chip's part of speech, no stop word, no number.

    Found once per paragraph: the overview and the theme page both ask for the theme's chips.
    """
    stop = load_stopwords()
    return tuple(word for word, flag in tagged_words(text)
                 if flag in CHIP_POS and len(word.strip()) >= 2 and word.lower() not in stop and not _is_number(word))


_NUMBER = re.compile(r"[\d.%+\-]+")


def _is_number(word: str) -> bool:
    return bool(_NUMBER.fullmatch(word))
