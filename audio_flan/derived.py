"""Fields a registry binding derives from a parser's own fields, written ``<derivation>(<field>)``.

A binding such as ``text: arpabet(text)`` fills the slot with the ARPAbet phonemes of the record's ``text``
field (:mod:`audio_flan.phonemes`), so that adding an English corpus with word transcripts to a phoneme task is one
registry line, with no per-corpus copy of the conversion. The registry checks the derivation's name, its field
and the languages the parser declares; the builder derives the value for each record before the task shape
sees it, under the key the binding writes (``arpabet(text)``, which the instance's ``metadata`` keeps too).

A record whose value cannot be derived (a word the pronunciation dictionary lacks) is left out of the config and
counted in the load's report under the derivation's own reason, naming the record and the words: never a silent
drop, never a partial value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Optional

from . import phonemes
from .sources.base import Record, UnusableRecordWarning
from .sources.readers import Skips

_EXPRESSION = re.compile(r"(?P<name>[a-z][a-z0-9_]*)\((?P<field>[a-z][a-z0-9_]*)\)")


@dataclass(frozen=True)
class Derivation:
    """A function of one record field. ``fails`` are the errors that mean "this record has no such value" (the
    record is skipped and counted under ``reason``); any other error propagates."""

    name: str
    function: Callable[[str], str]
    fails: tuple[type[Exception], ...]
    reason: str  # the load report's reason for a record skipped
    languages: tuple[str, ...] = ()  # the record languages it is meant for (ISO 639-1); () for any


DERIVATIONS: dict[str, Derivation] = {
    d.name: d
    for d in (
        Derivation(
            "arpabet",
            phonemes.arpabet,
            (phonemes.MissingWords,),
            "utterance(s) with a word the pronunciation dictionary lacks",
            languages=("en",),
        ),
    )
}


def parse(value: Any) -> Optional[tuple[str, str]]:
    """``(derivation name, field)`` when a binding value is a derivation, else None (a plain field name)."""
    if not isinstance(value, str):
        return None
    match = _EXPRESSION.fullmatch(value.replace(" ", ""))
    return (match["name"], match["field"]) if match else None


def check(value: str, fields: frozenset[str], languages: tuple[str, ...]) -> list[str]:
    """What is wrong with a derivation in a binding to a parser with these fields and languages."""
    name, field = parse(value) or ("", "")
    derivation = DERIVATIONS.get(name)
    if derivation is None:
        return [f"{value!r}: no derivation named {name!r}; known: {', '.join(sorted(DERIVATIONS))}"]
    errors = []
    if field not in fields:
        errors.append(f"{value!r}: the parser has no field {field!r} ({', '.join(sorted(fields))})")
    if derivation.languages and not set(languages) <= set(derivation.languages):
        errors.append(
            f"{value!r}: {name} is for {', '.join(derivation.languages)} only; "
            f"the parser's languages are {', '.join(languages) or 'not declared'}"
        )
    return errors


def derived_fields(binding: Mapping[str, Any]) -> dict[str, tuple[Derivation, str]]:
    """The binding's derived fields: the key a record gets -> (derivation, the record field it reads)."""
    out = {}
    for value in binding.values():
        parsed = parse(value)
        if parsed and parsed[0] in DERIVATIONS:
            out[value] = (DERIVATIONS[parsed[0]], parsed[1])
    return out


def derive(records: Iterable[Record], binding: Mapping[str, Any], what: str) -> Iterator[Record]:
    """The records with the binding's derived fields added; one whose value cannot be derived is skipped and
    counted (``what`` names the config, corpus and split in the report). Records pass untouched when the binding
    derives nothing."""
    wanted = derived_fields(binding)
    if not wanted:
        yield from records
        return
    skips = Skips(what, category=UnusableRecordWarning)
    for record in records:
        values: dict[str, Optional[str]] = {}
        for key, (derivation, field) in wanted.items():
            source = record.get(field)
            if source is None:  # the shape counts records without a field it needs
                values[key] = None
                continue
            try:
                values[key] = derivation.function(str(source))
            except derivation.fails as err:
                skips.add(derivation.reason, f"{record['id']}: {err}", always=True, audio=False)
                break
        else:
            yield {**record, **values}
    skips.report()
