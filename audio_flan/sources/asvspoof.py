"""ASVspoof 2021 (logical access, LA, and speech deepfake, DF, evaluation data), with ASVspoof 2019 LA for
training and development: bona fide English speech (VCTK speakers; DF adds VCC 2018/2020 data) and spoofs made
by text-to-speech and voice conversion systems, 16 kHz FLAC.

Licence: ODC-By 1.0 (``README.LA.txt`` of both editions), so the audio may be redistributed with attribution.

Layout, as the archives extract into one folder (2021 has no training data of its own: its baselines train on
2019 LA, per ``asvspoof-challenge/2021`` ``DF/Baseline-RawNet2/README.md``)::

    LA/                                                   ASVspoof 2019 LA.zip
      ASVspoof2019_LA_cm_protocols/ASVspoof2019.LA.cm.{train.trn,dev.trl,eval.trl}.txt
      ASVspoof2019_LA_{train,dev,eval}/flac/LA_{T,D,E}_<7 digits>.flac
    ASVspoof2021_LA_eval/                                 ASVspoof2021_LA_eval.tar.gz (Zenodo 4837263)
      ASVspoof2021.LA.cm.eval.trl.txt  flac/LA_E_<7 digits>.flac
    ASVspoof2021_DF_eval/                                 ASVspoof2021_DF_eval_part00..03.tar.gz (Zenodo 4835108)
      ASVspoof2021.DF.cm.eval.trl.txt  flac/DF_E_<7 digits>.flac
    keys/{LA,DF}/CM/trial_metadata.txt                    LA-keys-full.tar.gz, DF-keys-full.tar.gz

The ``keys/`` folder may also sit inside the eval folder it labels. The 2019 ``LA/`` folder may be the root
itself. Looked up in the organisers' ``asvspoof-challenge/2021`` repository (``eval-package/README.md`` and
``config.py``, which name the key columns and their values) and summarised in our corpus notes (speech.md §6).

Files, space-separated, no header:

- 2019 CM protocol: ``SPEAKER_ID AUDIO_FILE_NAME - SYSTEM_ID KEY`` (SYSTEM_ID ``-`` for bona fide);
- 2021 LA key: ``speaker trial codec transmission attack label trim subset`` (a bona fide row has
  ``bonafide`` as its attack as well as its label);
- 2021 DF key: ``speaker trial compression source attack label trim subset vocoder task team gender-pair
  language`` (``-`` marks an empty field).

The ``*.cm.eval.trl.txt`` trial lists hold no labels and are not read; an eval folder without its key is
left out with a warning. Record ids are the trial names, except that 2019 eval trials are ``2019_<trial>``
(their ``LA_E_`` names could meet 2021 LA's in the same split). Splits: 2019 train -> ``train``, 2019 dev -> ``validation``, 2019 eval and both 2021
eval sets (all of their ``eval``, ``progress`` and ``hidden`` subsets) -> ``test``.

Labels: ``label`` is ``bonafide`` or ``spoof`` (the deepfake task's options, read from the label column,
never from the attack column). ``vocoder`` is one of ``neural autoregressive``, ``neural non-autoregressive``,
``traditional`` and ``waveform concatenation``: DF's own vocoder column where given (the 2021 DF key's values,
named in the organisers' ``eval-package/README.md``: ``neural_vocoder_autoregressive``,
``neural_vocoder_nonautoregressive``, ``traditional_vocoder``, ``waveform_concatenation``; its ``unknown``
and bona fide rows have none). LA keys have no vocoder column; for LA rows (2019, and 2021 LA, whose attacks are
the 2019 eval systems A07-A19) the class comes from the attack's waveform generation as the ASVspoof 2019
``README.LA.txt`` distributed in ``LA.zip`` lists it ("Brief description on LA spoofing systems"; read in a
verbatim copy, ``qiaoweima/Audio-Anti-Spoofing`` ``README.LA.txt``): ``vocoder`` (A02, A03, A05, A09, A14, A18),
``vocoder+GAN`` (A07) and ``griffin lim`` (A11) -> traditional; ``waveform concatenation`` (A04, A16) -> waveform
concatenation; ``neural waveform (model)`` (A01, A08, A10, A12, A15) -> neural, autoregressive or not by the
generator the ASVspoof 2019 database paper (Wang et al., 2020, Table 1) names: WaveNet (A01, A12, A15) and
WaveRNN (A10) autoregressive, the neural source-filter model (A08) not. That paper could not be read here: these
generator names (and WORLD, Vocaine, STRAIGHT, MFCC vocoder for the traditional ones) are from memory of it,
matched by a third-party summary of its table; only the README's classes were read at the source. The systems
whose last step filters a waveform rather than generating one have none: ``spectral filtering`` (A06, A19),
``waveform filtering`` (A17) and ``waveform concatenation+waveform filtering`` (A13, a concatenated TTS
waveform then filtered by VC). A record without a vocoder is left out of vocoder classification, counted.

Rows whose FLAC is absent are skipped, counted once per shard. A malformed line (wrong field count, a label
or vocoder outside the lists above, a SYSTEM_ID that does not fit its KEY, a trial name that is not one, a trial
listed twice in one part, bytes that are not UTF-8) is an error naming file and line; under ``on_error="skip"``
it is counted once and skipped. No other row refers to a row, so nothing depends on it.

Shards: each protocol or key file is dealt by
line number into ``ceil(size / 4 MiB)`` shards (at most 32), judged by the file's size without reading it.
"""

from __future__ import annotations

import math
import os
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, audio_files, text_lines

PROTOCOLS_2019 = "ASVspoof2019_LA_cm_protocols"
TRACKS_2019 = {
    "2019LA-train": ("ASVspoof2019.LA.cm.train.trn.txt", "ASVspoof2019_LA_train", "train"),
    "2019LA-dev": ("ASVspoof2019.LA.cm.dev.trl.txt", "ASVspoof2019_LA_dev", "validation"),
    "2019LA-eval": ("ASVspoof2019.LA.cm.eval.trl.txt", "ASVspoof2019_LA_eval", "test"),
}
TRACKS_2021 = {"2021LA": ("LA", "ASVspoof2021_LA_eval"), "2021DF": ("DF", "ASVspoof2021_DF_eval")}
KEY = "trial_metadata.txt"
LA_COLUMNS = ("speaker", "trial", "codec", "transmission", "attack", "label", "trim", "subset")
DF_COLUMNS = (
    "speaker",
    "trial",
    "compression",
    "source",
    "attack",
    "label",
    "trim",
    "subset",
    "vocoder",
    "task",
    "team",
    "gender-pair",
    "language",
)
LABELS = ("bonafide", "spoof")
VOCODERS = {
    "neural_vocoder_autoregressive": "neural autoregressive",
    "neural_vocoder_nonautoregressive": "neural non-autoregressive",
    "traditional_vocoder": "traditional",
    "waveform_concatenation": "waveform concatenation",
}
DF_NO_VOCODER = frozenset({"bonafide", "unknown", "-"})
# ASVspoof 2019 README.LA.txt, "Brief description on LA spoofing systems": attack -> (kind, waveform generation),
# verbatim; the generator of the database paper's Table 1 in the comment (see the module docstring)
ATTACKS = {
    "A01": ("TTS", "neural waveform model"),  # WaveNet
    "A02": ("TTS", "vocoder"),  # WORLD
    "A03": ("TTS", "vocoder"),  # WORLD
    "A04": ("TTS", "waveform concatenation"),
    "A05": ("VC", "vocoder"),  # WORLD
    "A06": ("VC", "spectral filtering"),
    "A07": ("TTS", "vocoder+GAN"),  # WORLD, GAN post-filter
    "A08": ("TTS", "neural waveform"),  # neural source-filter
    "A09": ("TTS", "vocoder"),  # Vocaine
    "A10": ("TTS", "neural waveform"),  # WaveRNN
    "A11": ("TTS", "griffin lim"),
    "A12": ("TTS", "neural waveform"),  # WaveNet
    "A13": ("TTS_VC", "waveform concatenation+waveform filtering"),
    "A14": ("TTS_VC", "vocoder"),  # STRAIGHT
    "A15": ("TTS_VC", "neural waveform"),  # WaveNet
    "A16": ("TTS", "waveform concatenation"),
    "A17": ("VC", "waveform filtering"),
    "A18": ("VC", "vocoder"),  # MFCC vocoder
    "A19": ("VC", "spectral filtering"),
}
NON_AUTOREGRESSIVE = frozenset({"A08"})  # the neural source-filter model; the other neural ones are WaveNet/WaveRNN
GENERATION_VOCODERS = {
    "vocoder": "traditional",
    "vocoder+GAN": "traditional",
    "griffin lim": "traditional",
    "waveform concatenation": "waveform concatenation",
    "neural waveform": "neural",
    "neural waveform model": "neural",
}  # filtering (spectral, waveform, after concatenation): none
TRIAL = re.compile(r"(LA|DF)_[TDE]_\d{7}")
BYTES_PER_SHARD = 4 << 20
MAX_SHARDS = 32
FIELDS = (
    "id",
    "audio",
    "label",
    "attack",
    "vocoder",
    "speaker",
    "track",
    "codec",
    "subset",
    "language",
    "language_name",
)


class ASVspoofFormatError(CorpusFormatError):
    """An ASVspoof protocol or key file that is not what the organisers' README says."""


def _base_2019(root: Path) -> Path | None:
    for base in (root / "LA", root):
        if (base / PROTOCOLS_2019).is_dir():
            return base
    return None


def _key(root: Path, track: str, folder: str) -> Path | None:
    for keys in (root / "keys", root / folder / "keys"):
        if (keys / track / "CM" / KEY).is_file():
            return keys / track / "CM" / KEY
    return None


def detect(root: Path) -> bool:
    if _base_2019(root) is not None:
        return True
    return any((root / folder).is_dir() and _key(root, t, folder) for t, folder in TRACKS_2021.values())


def _files(root: Path, warn: bool = False) -> dict[str, tuple[Path, Path, str]]:
    """track -> (protocol or key file, flac folder, split), for the parts present (``warn``: about an eval
    folder without its key)."""
    found: dict[str, tuple[Path, Path, str]] = {}
    base = _base_2019(root)
    if base is not None:
        for track, (protocol, folder, split) in TRACKS_2019.items():
            path = base / PROTOCOLS_2019 / protocol
            if path.is_file():
                found[track] = (path, base / folder / "flac", split)
    for track, (name, folder) in TRACKS_2021.items():
        if not (root / folder).is_dir():
            continue
        key = _key(root, name, folder)
        if key is None:
            if not warn:
                continue
            warnings.warn(
                f"{root / folder} has no key (keys/{name}/CM/{KEY} from {name}-keys-full.tar.gz, beside it or inside "
                "it): its trials have no labels and are not read",
                UserWarning,
                stacklevel=3,
            )
            continue
        found[track] = (key, root / folder / "flac", "test")
    return found


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """Per split, ``[track, k, n]``: the k-th of n parts of one protocol or key file, by line. Reads nothing."""
    shards: dict[str, list[Shard]] = {}
    for track, (path, _, split) in _files(root, warn=True).items():
        count = min(MAX_SHARDS, max(1, math.ceil(os.path.getsize(path) / BYTES_PER_SHARD)))
        shards.setdefault(split, []).extend([track, k, count] for k in range(count))
    return shards


def vocoder_of_attack(attack: str) -> str | None:
    """The vocoder class of an ASVspoof 2019 LA attack (A01-A19), None for a filtering one."""
    vocoder = GENERATION_VOCODERS.get(ATTACKS[attack][1]) if attack in ATTACKS else None
    if vocoder == "neural":
        return "neural non-autoregressive" if attack in NON_AUTOREGRESSIVE else "neural autoregressive"
    return vocoder


def _row(path: Path, line_no: int, line: str, track: str) -> dict[str, str]:
    tokens = line.split()
    where = f"{path}:{line_no}"
    if track.startswith("2019"):
        if len(tokens) != 5 or tokens[2] != "-":
            raise ASVspoofFormatError(f"{where}: expected 'SPEAKER_ID AUDIO_FILE_NAME - SYSTEM_ID KEY', got {line!r}")
        speaker, trial, _, system, label = tokens
        row = {"speaker": speaker, "trial": trial, "attack": system, "label": label, "codec": "-", "subset": "-"}
        if (label == "bonafide") != (system == "-") or not (system == "-" or system in ATTACKS):
            raise ASVspoofFormatError(
                f"{where}: SYSTEM_ID {system!r} does not fit KEY {label!r}; expected '-' for bonafide, A01-A19 for spoof"
            )
    else:
        columns = LA_COLUMNS if track == "2021LA" else DF_COLUMNS
        if len(tokens) != len(columns):
            raise ASVspoofFormatError(
                f"{where}: expected {len(columns)} space-separated fields ({' '.join(columns)}), got {len(tokens)}"
            )
        row = dict(zip(columns, tokens))
        row["codec"] = row.get("codec") or row["compression"]
    if row["label"] not in LABELS:
        raise ASVspoofFormatError(f"{where}: the label is {row['label']!r}; expected bonafide or spoof")
    if not TRIAL.fullmatch(row["trial"]):
        raise ASVspoofFormatError(f"{where}: trial {row['trial']!r} is not '<LA|DF>_<T|D|E>_<7 digits>'")
    vocoder = row.get("vocoder", "-")
    if row["label"] == "spoof" and vocoder not in DF_NO_VOCODER and vocoder not in VOCODERS:
        raise ASVspoofFormatError(f"{where}: vocoder {vocoder!r} is not one of {', '.join([*VOCODERS, 'unknown'])}")
    return row


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 3 and isinstance(shard[1], int) and isinstance(shard[2], int)):
        raise ASVspoofFormatError(f"shard {shard!r} is not [track, part, parts]")
    track, part, parts = str(shard[0]), shard[1], shard[2]
    files = _files(root)
    if track not in files:
        raise ASVspoofFormatError(f"shard {shard!r}: {root} holds no {track} protocol or key")
    path, flac, _ = files[track]
    skips = Skips(f"ASVspoof {track} part {part + 1}/{parts} in {root}", SOURCE.missing_audio)
    # a line that is not text is met by every part: each counts it, the load's report once
    lines = Skips(f"ASVspoof {path}", SOURCE.missing_audio)
    present = set(audio_files(flac, (".flac",)))
    seen: dict[str, int] = {}
    index = -1
    for line_no, line in text_lines(path, ASVspoofFormatError, skips=lines):
        if not line.strip():
            continue
        index += 1
        if index % parts != part:
            continue
        try:
            row = _row(path, line_no, line, track)
            trial = row["trial"]
            if trial in seen:
                raise ASVspoofFormatError(f"{path}:{line_no}: trial {trial} is also on line {seen[trial]}")
        except ASVspoofFormatError as err:
            skips.bad(err)  # each line belongs to one part, so it is counted once
            continue
        seen[trial] = line_no
        if f"{trial}.flac" not in present:
            skips.add("protocol line(s) whose .flac file is missing", f"{path.name}:{line_no}")
            continue
        attack = row["attack"]
        if row["label"] == "bonafide":
            vocoder = None
        elif track == "2021DF" and row["vocoder"] not in DF_NO_VOCODER:
            vocoder = VOCODERS[row["vocoder"]]
        elif track == "2021DF":
            vocoder = None
        else:
            vocoder = vocoder_of_attack(attack)
        yield {
            "id": f"2019_{trial}" if track == "2019LA-eval" else trial,
            "audio": os.path.join(flac, f"{trial}.flac"),
            "label": row["label"],
            "attack": None if attack in ("-", "bonafide") else attack,
            "vocoder": vocoder,
            "speaker": row["speaker"],
            "track": {"2021LA": "ASVspoof 2021 LA", "2021DF": "ASVspoof 2021 DF"}.get(track, "ASVspoof 2019 LA"),
            "codec": None if row["codec"] == "-" else row["codec"],
            "subset": None if row["subset"] == "-" else row["subset"],
            "language": "en",
            "language_name": "English",
        }
    skips.report()
    lines.report()


SOURCE = Source(
    name="asvspoof",
    corpus="ASVspoof",
    license="ODC-By 1.0",
    redistributable=True,
    homepage="https://www.asvspoof.org/",
    layout="LA/ASVspoof2019_LA_cm_protocols/ with LA/ASVspoof2019_LA_{train,dev,eval}/flac/, and/or "
    "ASVspoof2021_{LA,DF}_eval/flac/ with keys/{LA,DF}/CM/trial_metadata.txt",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="ASVspoof",
    languages=("en",),
    labels={
        "label": LABELS,
        "vocoder": tuple(dict.fromkeys(VOCODERS.values())),
        "language": ("en",),
        "language_name": ("English",),
    },
)
