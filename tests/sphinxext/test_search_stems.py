"""The search index's stemmer: Snowball's C stemmer, giving the browser's stems."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import snowballstemmer
from snowballstemmer.english_stemmer import EnglishStemmer

WORD = re.compile(r"\w+")


def test_the_index_stems_with_the_c_stemmer() -> None:
    # Sphinx asks snowballstemmer, which hands out PyStemmer's stemmer when installed.
    stemmer = snowballstemmer.stemmer("english")
    assert type(stemmer).__module__ == "Stemmer"


@pytest.mark.corpus
def test_c_and_python_stemmers_agree_on_every_word_of_the_corpus(corpus: Path) -> None:
    # The search page stems what a reader types with Sphinx's JavaScript Snowball
    # stemmer, the pure-Python one's twin: the index must hold the same stems, or words
    # go unfound.
    words: set[str] = set()
    for path in corpus.rglob("*"):
        if path.is_file():
            words.update(WORD.findall(path.read_text(encoding="utf-8", errors="replace").lower()))
    assert len(words) > 10_000
    c_stemmer, python_stemmer = snowballstemmer.stemmer("english"), EnglishStemmer()
    differ = [w for w in sorted(words) if c_stemmer.stemWord(w) != python_stemmer.stemWord(w)]
    assert differ == []
