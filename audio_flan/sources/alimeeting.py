"""AliMeeting (OpenSLR 119; Yu et al., "M2MeT", ICASSP 2022): Mandarin meetings of 2-4 participants recorded by
an 8-channel far-field microphone array, with who-spoke-when and transcripts in Praat TextGrids.

Licence: CC BY-SA 4.0 (the OpenSLR 119 page); the M2MeT baseline code is Apache 2.0.

Layout, as the OpenSLR archives unpack (``Train_Ali_far.tar.gz``, ``Eval_Ali.tar.gz``, ``Test_Ali.tar.gz``; the
M2MeT baseline ``yufan-aslp/AliMeeting`` ``speaker/run.sh`` reads ``Eval_Ali_far/{audio_dir,textgrid_dir}``;
lhotse's ``alimeeting`` recipe probes for Eval/Test with and without their ``Eval_Ali/`` / ``Test_Ali/`` parent;
``../shared/corpora/speech.md`` section 5)::

    <root>/
      Train_Ali_far/audio_dir/R0015_M0151_MS002.wav      8 channels, 16 kHz, 16-bit PCM, 15-30 min
      Train_Ali_far/textgrid_dir/R0015_M0151.TextGrid    one per meeting, named without the mic-set suffix
      Eval_Ali/Eval_Ali_far/{audio_dir,textgrid_dir}/    (or Eval_Ali_far/ directly under the root)
      Test_Ali/Test_Ali_far/{audio_dir,textgrid_dir}/    (or Test_Ali_far/)
      ..._near/                                          headset recordings: not read (diarization is far-field)

Each TextGrid (Praat long text format, UTF-8) has one IntervalTier per participant, named after them
(``N_SPK8013`` in the released far-field files); each interval with non-blank text is an utterance, its text the
transcript. A wav is matched to its TextGrid by the session prefix ``R####_M####`` (lhotse and the baseline do
the same), so ``R0015_M0151_MS002.wav`` goes with ``R0015_M0151.TextGrid``. Splits are M2MeT's: Train -> train,
Eval -> validation, Test -> test.

Records are whole meetings: ``audio`` the far-field wav, ``segments`` every utterance as ``[start, end, tier
name]`` (seconds from the start of the recording). The diarization config cuts each meeting into windows (the
timeline shape's ``window``), so an instance's audio is a region of the wav: decoding reads only the window, and
downmixes the 8 channels by their mean (an export keeps the 8 channels of the region, as the corpus has them).
The M2MeT baseline diarizes from the first channel only; the mean of a small array's channels keeps every voice
about as audible.

Quirks: lhotse skips sessions whose TextGrid does not parse; here a malformed TextGrid is an error naming its
file and line (``on_error="skip"`` counts and skips it instead). A TextGrid without its wav is skipped and
counted (absent audio); a wav without a TextGrid is counted as unannotated. Shards: one per TextGrid.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ._textgrid import read_textgrid
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, audio_files, visible_names

#: split -> the far-field folders that may hold it, relative to the root
FAR_DIRS = {
    "train": ("Train_Ali_far", "Train_Ali/Train_Ali_far"),
    "validation": ("Eval_Ali/Eval_Ali_far", "Eval_Ali_far"),
    "test": ("Test_Ali/Test_Ali_far", "Test_Ali_far"),
}
WRAPPERS = ("Train_Ali", "Eval_Ali", "Test_Ali")
SUFFIX = ".TextGrid"
SESSION = re.compile(r"R\d+_M\d+")
FIELDS = ("id", "audio", "session", "segments", "speakers", "language")


class AliMeetingFormatError(CorpusFormatError):
    """An AliMeeting TextGrid or file name that is not what the corpus distributes."""


def _far_dirs(root: Path) -> dict[str, str]:
    found = {}
    for split, candidates in FAR_DIRS.items():
        for rel in candidates:
            names = visible_names(root / rel)
            if "audio_dir" in names and "textgrid_dir" in names:
                found[split] = rel
                break
    return found


def detect(root: Path) -> bool:
    # the Eval_Ali/ or Test_Ali/ wrapper is part of its parent's layout, not a root of its own
    if root.name in WRAPPERS and _far_dirs(root.parent):
        return False
    return bool(_far_dirs(root))


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """One shard per TextGrid: ``[far folder, TextGrid name]`` (folders are listed, no file is opened)."""
    shards: dict[str, list[Shard]] = {}
    for split, rel in _far_dirs(root).items():
        names = [n for n in visible_names(root / rel / "textgrid_dir") if n.endswith(SUFFIX)]
        if names:
            shards[split] = [[rel, name] for name in names]
    return shards


def session_of(name: str) -> str | None:
    match = SESSION.match(name)
    return match.group() if match else None


def read_segments(path: Path) -> tuple[list[list], list[str]]:
    """Every utterance of a meeting's TextGrid as ``[start, end, speaker tier]``, and the tiers in file order."""
    grid = read_textgrid(path, AliMeetingFormatError)
    segments: list[list] = []
    speakers: list[str] = []
    for tier in grid.tiers:
        if tier.kind != "IntervalTier":
            continue
        speakers.append(tier.name)
        segments.extend([i.start, i.end, tier.name] for i in tier.intervals if i.text.strip() and i.end > i.start)
    return sorted(segments), speakers


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    far_dirs = set(_far_dirs(root).values())
    if not (isinstance(shard, list) and len(shard) == 2 and shard[0] in far_dirs and str(shard[1]).endswith(SUFFIX)):
        raise AliMeetingFormatError(f"shard {shard!r} is not [far-field folder, TextGrid name] under {root}")
    rel, name = shard
    folder = root / rel
    textgrid = folder / "textgrid_dir" / name
    session = session_of(name)
    if session is None or name != f"{session}{SUFFIX}":
        raise AliMeetingFormatError(f"{textgrid}: the name is not '<R####_M####>{SUFFIX}' (room and meeting)")
    skips = Skips(f"AliMeeting {textgrid}", SOURCE.missing_audio)
    wavs = audio_files(folder / "audio_dir", (".wav",))
    if name == min(n for n in visible_names(folder / "textgrid_dir") if n.endswith(SUFFIX)):
        annotated = {n[: -len(SUFFIX)] for n in visible_names(folder / "textgrid_dir") if n.endswith(SUFFIX)}
        for wav in wavs:  # counted once per folder, in its first shard
            if session_of(wav) not in annotated:
                skips.add("wav(s) without a TextGrid", str(folder / "audio_dir" / wav), always=True, audio=False)
    mine = [w for w in wavs if session_of(w) == session]
    if not mine:
        skips.add("meeting(s) whose far-field wav is not in audio_dir", str(textgrid))
    else:
        try:
            segments, speakers = read_segments(textgrid)
        except AliMeetingFormatError as err:
            skips.bad(err, "TextGrid(s) that do not parse")
            mine = []
        for wav in mine:
            yield {
                "id": wav[: -len(".wav")],
                "audio": str(folder / "audio_dir" / wav),
                "session": session,
                "segments": segments,
                "speakers": speakers,
                "language": "zh",
            }
    skips.report()


SOURCE = Source(
    name="alimeeting",
    corpus="AliMeeting",
    license="CC BY-SA 4.0",
    redistributable=True,
    homepage="https://www.openslr.org/119/",
    layout="Train_Ali_far/, Eval_Ali/Eval_Ali_far/ or Test_Ali/Test_Ali_far/ with audio_dir/*.wav and textgrid_dir/*.TextGrid",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="AliMeeting",
    languages=("zh",),
)
