"""aidatatang_200zh (OpenSLR 62; Beijing DataTang): 200 h of Mandarin read by 600 speakers, mostly on mobile
phones, 16 kHz WAV.

Licence: CC BY-NC-ND 4.0 (OpenSLR 62 and the corpus README): non-commercial, no derivatives. Unmodified copies may
be shared non-commercially, but re-encoded or resampled audio is arguably a derivative, so the audio is marked not
redistributable and exports leave it out.

Layout, as ``aidatatang_200zh.tgz`` extracts, after the per-speaker tarballs ``corpus/<split>/G####.tar.gz`` are
unpacked in place (as lhotse's ``recipes/aidatatang_200zh.py``, the Kaldi/ESPnet recipes' ``data_prep.sh`` and
PaddleSpeech's manifest script read it: the WAVs are found under ``corpus/``, the speaker is the WAV's folder)::

    aidatatang_200zh/
      transcript/aidatatang_200_zh_transcript.txt
      corpus/{train,dev,test}/G0002/T0055G0002S0001.wav  (+ .metadata, read, and .txt side files)

The transcript is ``<utt id> <word-segmented text>`` per line, UTF-8; ids are ``T0055`` + speaker ``G####`` +
``S####``.

Speaker labels: the corpus README says speaker information "is preserved in the metadata file", i.e. the
per-utterance ``<utt>.metadata`` side files. No maintained loader (lhotse, Kaldi/ESPnet ``data_prep.sh``,
PaddleSpeech, WeNet) reads them; their layout is pinned down from two third-party readers of the real files: one
splits each line at a tab into a key and a value and keeps ``SEX``, ``AGE``, ``BIR`` (birthplace) and ``ACC``
(accent), passing over lines that do not split so; the other reads the values at fixed lines (22 ``SEX``, 23
``AGE``, 26 ``BIR``) and writes the first letter of ``SEX`` as an ``F``/``M`` code. So: ``KEY<TAB>value`` lines,
UTF-8, read here by key. Decided: one ``.metadata`` per speaker is read (the first by name; both readers read one,
as the speaker's facts are the same in each); ``SEX`` ``Female``/``Male`` or ``F``/``M`` (any case) gives
``gender`` female/male, another value is malformed; ``AGE`` a whole number of years gives ``age`` and
``age_group`` by decade (as KeSpeech and VCTK), another value is malformed; ``BIR`` and ``ACC`` (values not
pinned down) are not read. A speaker without a ``.metadata`` file, or one without those keys, has the labels
unset (the label tasks leave it out, counted).

Records: one WAV (a WAV without a transcript line is kept with ``text`` None: ASR and TTS leave it out, counted;
speaker, gender, age and language tasks use it). ``text`` is the transcript with the word-segmentation spaces
removed, full-width letters made ASCII and upper-cased (lhotse replaces the full-width ``Ａ`` it found).
``language`` ``zh`` ("Mandarin Chinese").

Splits: the corpus's own ``train``, ``dev`` (validation), ``test`` folders (7:1:2, speaker-disjoint). Shards: up
to 8 speaker folders of a split (listing opens no file). A transcript line whose speaker folder is there but
whose WAV is not is skipped and counted once per shard; lines of speakers with no folder anywhere (a tarball
left packed) are counted once, in the first train shard.

Bad lines: a transcript line without text, with an id that is not ``T####G####S####``, repeating an id, or not
UTF-8 is an error naming file and line, and so is a ``.metadata`` line with a ``SEX`` or ``AGE`` value outside
the above or not UTF-8; under ``on_error="skip"`` each is skipped and counted once per split loaded (a transcript line by every
shard, as every shard reads the transcript, the load's report once; a ``.metadata`` line by its speaker's shard). What depends on it is
left out too, counted under its own reason by its shard: the WAV of a skipped transcript line (when its id can be
read; kept, it would pass for a WAV the transcript does not list) and every WAV of a speaker whose ``.metadata``
line was skipped (its labels would pass for unknown ones).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from . import _speaker_folders as folders
from ._age_groups import DECADES, age_group
from ._kaldi import reject
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, text_lines

TRANSCRIPT = "transcript/aidatatang_200_zh_transcript.txt"
AUDIO = "corpus"
SPEAKERS_PER_SHARD = 8
GENDERS = {"female": "female", "f": "female", "male": "male", "m": "male"}  # SEX values, any case
FIELDS = ("id", "audio", "text", "speaker", "gender", "age", "age_group", "language", "language_name")
NO_LABELS: dict = {"gender": None, "age": None, "age_group": None}


class AidatatangFormatError(CorpusFormatError):
    """An aidatatang_200zh file that is not what the corpus's layout says."""


LAYOUT = folders.SpeakerFolders(
    error=AidatatangFormatError,
    utterance=re.compile(r"T\d{4}(?P<spk>G\d{4})S\d{4}"),
    id_form="T####G####S####",
    speaker=re.compile(r"G\d{4}"),
    audio_name=AUDIO,
)


def detect(root: Path) -> bool:
    return (root / TRANSCRIPT).is_file() and (root / AUDIO).is_dir()


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """``[split folder, speakers]`` per shard of up to 8 speaker folders; nothing is read."""
    if not detect(root):
        return {}
    return folders.list_shards(LAYOUT, root / AUDIO, SPEAKERS_PER_SHARD)


def read_metadata(path: Path, skips: Skips | None = None) -> dict | None:
    """``gender``, ``age`` and ``age_group`` of a ``.metadata`` file (unset where its key is absent); None when a
    line is malformed and ``skips`` (of a load that skips bad items) counted it, else the error is raised."""
    labels = dict(NO_LABELS)
    for line_no, line in text_lines(path, AidatatangFormatError, skips=skips):
        key, tab, value = line.partition("\t")
        value = value.strip()
        if not tab or key.strip() not in ("SEX", "AGE"):
            continue
        where = f"{path}:{line_no}"
        if key.strip() == "SEX" and value.lower() in GENDERS:
            labels["gender"] = GENDERS[value.lower()]
        elif key.strip() == "AGE" and value.isdigit():
            labels.update(age=int(value), age_group=age_group(int(value)))
        else:
            expected = "Female or Male (or F, M)" if key.strip() == "SEX" else "a whole number of years"
            reject(AidatatangFormatError(f"{where}: {key.strip()} is {value!r}; expected {expected}"), skips)
            return None
    return labels


def speaker_labels(folder: Path, names: set[str], skips: Skips) -> dict | None:
    """The labels of the speaker whose folder holds ``names``, from its first ``.metadata`` file (none: unset);
    None when that file has a malformed line that ``skips`` counted."""
    metadata = sorted(n for n in names if n.endswith(".metadata"))
    if not metadata:
        return dict(NO_LABELS)
    before = skips.malformed
    labels = read_metadata(folder / metadata[0], skips)
    return None if labels is None or skips.malformed > before else labels


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    folder, speakers = folders.shard_parts(LAYOUT, shard)
    audio = root / AUDIO
    wavs = folders.speaker_wavs(audio, folder, speakers)
    first = folders.is_first(list_shards(root), shard)  # counts the lines of speakers with no folder anywhere
    skips = Skips(f"aidatatang_200zh {folder} shard of {len(speakers)} speakers in {root}", SOURCE.missing_audio)
    path = root / TRANSCRIPT
    lines = Skips(f"aidatatang_200zh {path}", SOURCE.missing_audio)
    labels = {s: speaker_labels(audio / folder / s, wavs[s], skips) for s in speakers}
    texts, lost = folders.read_transcript(LAYOUT, path, audio, wavs, first, lines, skips)
    reason = "WAV(s) of speakers whose .metadata line was skipped as malformed"
    left_out = {s: reason for s, got in labels.items() if got is None}
    for speaker, utt, name in folders.utterance_wavs(wavs, speakers, lost, skips, left_out):
        yield {
            "id": utt,
            "audio": os.fspath(audio / folder / speaker / name),
            "text": texts.get(utt),
            "speaker": speaker,
            **(labels[speaker] or NO_LABELS),
            "language": "zh",
            "language_name": "Mandarin Chinese",
        }
    skips.report()
    lines.report()


SOURCE = Source(
    name="aidatatang",
    corpus="aidatatang_200zh",
    license="CC BY-NC-ND 4.0",
    redistributable=False,
    homepage="https://www.openslr.org/62/",
    layout="aidatatang_200zh/ with transcript/aidatatang_200_zh_transcript.txt and corpus/<split>/G####/*.wav",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="aidatatang",
    languages=("zh",),
    labels={
        "gender": ("female", "male"),
        "age_group": DECADES,
        "language": ("zh",),
        "language_name": ("Mandarin Chinese",),
    },
)
