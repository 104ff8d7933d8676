"""What the singing corpora share: lyrics rendered one way (CSD, M4Singer, Opencpop, OpenSinger, Vocadito), the
Mandarin corpora's phoneme-level scores written as one timed note a line, and the stable draws that pair a take
with another singer's take of the same line.

Lyrics: each line's runs of white space as one space, blank lines (stanza breaks) dropped, the lines joined by
`` / ``, so the same sung line is the same text whichever corpus it comes from and whatever white space its file
holds (a trailing newline in an OpenSinger ``.txt``, none in a ``meta.json`` string).

A score is written in the timed-output format CSD's note CSVs give (``0.52-0.91: tong D4``): one sung note a line,
timed by the cumulative phoneme durations, a pinyin initial joined to the final that follows it on the same note,
a slurred phoneme (one that carries its syllable on to a new note) a note of its own, and rests, breaths and
silences left out. Note names as :mod:`._music_labels` writes them (sharps, middle C = C4).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from . import _music_labels as music
from ._stable_hash import stable_hash

#: pinyin initials: a phoneme that is one starts a syllable the next phoneme (its final) completes
INITIALS = frozenset("b c ch d f g h j k l m n p q r s sh t w x y z zh".split())
#: Opencpop's breath and silence phonemes; M4Singer writes its own in angle brackets (``<AP>``, ``<SP>``)
UNSUNG = frozenset({"AP", "SP"})


def score(phonemes: Sequence[str], notes: Sequence[int], durations: Sequence[float], slurs: Sequence[int]) -> str:
    """The sung notes as ``start-end: syllable note`` lines; ``notes`` are MIDI numbers (0 for a rest),
    ``durations`` each phoneme's seconds, ``slurs`` 1 where a phoneme continues its syllable on a new note."""
    lines, t, k = [], 0.0, 0
    while k < len(phonemes):
        end = k + 1
        if phonemes[k] in INITIALS and end < len(phonemes) and not slurs[end] and notes[end] == notes[k]:
            end += 1  # an initial and its final are one syllable on one note
        start, t = t, t + sum(durations[k:end])
        if notes[k] and phonemes[k] not in UNSUNG and not phonemes[k].startswith("<"):
            lines.append(f"{start:.2f}-{t:.2f}: {''.join(phonemes[k:end])} {music.note_name(notes[k])}")
        k = end
    return "\n".join(lines)


def lyric_text(lines: Iterable[str]) -> str | None:
    """Lyric lines as one text (see the module docstring); None when no word is left."""
    words = (" ".join(line.split()) for line in lines)
    return " / ".join(line for line in words if line) or None


def stable_index(key: str, count: int) -> int:
    """An index below ``count`` drawn from ``key`` alone (the same whatever PYTHONHASHSEED)."""
    return stable_hash(key) % count


def pick(key: str, choices: Sequence[str]) -> str | None:
    """One of ``choices`` drawn from ``key`` alone, or None when there is none."""
    return choices[stable_index(key, len(choices))] if choices else None
