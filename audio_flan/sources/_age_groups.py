"""Age groups by decade, spelled as VCTK and Common Voice spell theirs (``teens``, ``twenties``, ...), for the
corpora that give a speaker's age in years (KeSpeech, aidatatang_200zh). Not a parser itself."""

from __future__ import annotations

DECADES = ("teens", "twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties")


def age_group(age: int) -> str:
    """The decade of an age in years (under 20 counts as ``teens``, 90 and over as ``nineties``)."""
    return DECADES[min(max(age // 10 - 1, 0), len(DECADES) - 1)]
