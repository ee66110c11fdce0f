"""jieba's dictionary, read once per build: the shared tokenizer with the domain words, and the words as shipped.

Reading jieba's dictionary takes half a second. The search plugin, the keyword chips and the
classifier share jieba's global tokenizer, to which the domain words (老旧小区, 城中村改造 …) are
added; the cleaner needs the dictionary as shipped, since its scores must not depend on domain
words. Both come from one read: the shipped words are copied (a hundredth of a second) from the
global tokenizer when this module initialises it, before any domain word can be in it.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache

import jieba

_shipped: dict = {}  # "freq" and "total" of the dictionary as shipped, copied when we initialise it


def initialise() -> jieba.Tokenizer:
    """jieba's global tokenizer, initialised; the first call that initialises it keeps a copy of its words."""
    tokenizer = jieba.dt
    if not tokenizer.initialized:
        jieba.setLogLevel(logging.WARNING)
        tokenizer.initialize()
        # Nothing can have added words yet (jieba initialises before adding any); only another
        # dictionary (set_dictionary) would not be the shipped one.
        if tokenizer.dictionary == jieba.DEFAULT_DICT:
            _shipped.update(freq=dict(tokenizer.FREQ), total=tokenizer.total)
    return tokenizer


@lru_cache(maxsize=1)
def shipped() -> jieba.Tokenizer:
    """A private tokenizer with jieba's dictionary as shipped, never with the domain words.

    Made from the copy kept by ``initialise`` when there is one, else read again (when something
    else initialised the global tokenizer first, it may hold user words already).
    """
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    if _shipped:
        tokenizer.FREQ, tokenizer.total = _shipped["freq"], _shipped["total"]
        tokenizer.initialized = True
    else:
        tokenizer.initialize()
    return tokenizer


# jieba's tags of names: places, people, organisations and other proper nouns
NAME_TAGS = ("ns", "nr", "nrt", "nrfg", "nt", "nz")


@lru_cache(maxsize=1)
def shipped_names() -> frozenset[str]:
    """The words jieba's dictionary as shipped tags as names (宁夏, 江苏: NAME_TAGS)."""
    with jieba.Tokenizer().get_dict_file() as file:  # a new tokenizer's file is the shipped one
        entries = file.read().decode("utf-8")
    # one pass of a regular expression over the file's 350,000 "word frequency tag" lines
    return frozenset(re.findall(rf"^(\S+) \d+ (?:{'|'.join(NAME_TAGS)})\r?$", entries, flags=re.MULTILINE))
