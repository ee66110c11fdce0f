"""jieba's dictionary, read once per build: the shared tokenizer with the domain words, and the words as shipped.

Reading jieba's dictionary takes half a second. The search plugin, the keyword chips and the
classifier share jieba's global tokenizer, to which the domain words (老旧小区, 城中村改造 …) are
added; the cleaner needs the dictionary as shipped, since its scores must not depend on domain
words. Both come from one read: the shipped words are copied (a hundredth of a second) from the
global tokenizer when this module initialises it, before any domain word can be in it.
"""
from __future__ import annotations

import logging
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


@lru_cache(maxsize=1)
def _shipped_entries() -> str:
    """jieba's dictionary file as shipped, one "word frequency tag" entry per line."""
    with jieba.Tokenizer().get_dict_file() as file:  # a new tokenizer's file is the shipped one
        return "\n" + file.read().decode("utf-8")


def shipped_tag(word: str) -> str | None:
    """The part of speech jieba's shipped dictionary gives ``word`` (ns place, nr person, v verb …), or None.

    Looked up in the file's text rather than parsed into a table: the cleaner asks about a few
    words per document, and parsing all 350,000 entries would cost a fifth of a second.
    """
    entries = _shipped_entries()
    at = entries.find(f"\n{word} ")
    if at < 0:
        return None
    fields = entries[at + 1:entries.find("\n", at + 1)].split(" ")
    return fields[2] if len(fields) > 2 else None
