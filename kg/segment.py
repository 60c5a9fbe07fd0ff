"""Word segmentation with jieba, its user dictionary generated from the thesaurus and the gazetteer.

Used where word boundaries matter but a full pass over the text would cost too much:
on the short stretch of words that says what a number measures.
"""
from __future__ import annotations

import logging
import os
import tempfile
from functools import lru_cache

import jieba

from .gazetteer import gazetteer
from .vocab import concept_by_label


def user_dictionary_lines() -> list:
    """jieba user-dictionary lines: thesaurus labels as nz, place names as ns."""
    lines = [f"{label} 2000 nz" for label in sorted(concept_by_label()) if " " not in label]
    g = gazetteer()
    lines += [f"{name} 2000 ns" for name in sorted(set(g.by_name) | set(g.by_short))]
    return lines


@lru_cache(maxsize=1)
def tokenizer() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as f:
        f.write("\n".join(user_dictionary_lines()) + "\n")
    try:
        tk.load_userdict(f.name)
    finally:
        os.unlink(f.name)
    return tk


def words(text: str) -> list:
    return tokenizer().lcut(text, HMM=False)


@lru_cache(maxsize=1)
def _tagger():
    import jieba.posseg
    return jieba.posseg.POSTokenizer(tokenizer())


@lru_cache(maxsize=4096)
def tagged(text: str) -> tuple:
    """(word, part of speech) pairs, jieba's tags (v verb, n noun, q measure word …). Cached: the
    rules of one metric ask about the same few words several times."""
    return tuple((p.word, p.flag) for p in _tagger().lcut(text, HMM=False))


def first_flag(text: str) -> str:
    """The part of speech of the first word of `text`, '' for no word."""
    tags = tagged(text)
    return tags[0][1] if tags else ""
