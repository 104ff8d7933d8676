"""WavCaps (Mei et al., 2023): about 400,000 clips from FreeSound, BBC Sound Effects, SoundBible and AudioSet's
strongly-labelled subset, each with one caption written by ChatGPT from the web descriptions.

Licence: academic use only (the WavCaps README); each source's own terms apply as well (FreeSound's CC licences,
the BBC's RemArc licence, non-commercial). Not redistributable by this package.

Layout, as Hugging Face ``cvssp/WavCaps`` distributes it (/work/shared/corpora/music_sound.md B8; the GitHub
``XinhaoMei/WavCaps`` README and ``data/json_files/SoundBible/sb_final.json``)::

    WavCaps/
      json_files/AudioSet_SL/as_final.json  BBC_Sound_Effects/bbc_final.json  FreeSound/fsd_final.json
                 SoundBible/sb_final.json   blacklist/blacklist_exclude_all_ac.json  blacklist_exclude_test_ac.json
                                                      blacklist_exclude_ub8k_esc50_vggsound.json
      Zip_files/<Subset>/...                the zips, extracted in place: their FLACs (32 kHz mono) sit under
                                            mnt/fast/nobackup/scratch4weeks/xm00178/WavCaps/data/waveforms/<Subset>_flac/

Each JSON is ``{"num_captions_per_audio": 1, "data": [...]}`` on one line (an early GitHub copy of sb_final.json is
the bare list; both are read). Keys differ per subset; what is read: ``id`` and ``caption`` (all), ``duration``
(all; an int in some SoundBible entries), ``description`` (FreeSound, BBC, SoundBible; the raw web text), ``title``
(SoundBible), ``tags`` (FreeSound); the rest (``href``, ``author``, ``download_link``, ``file_name``, ``audio``: a
placeholder) is not used. The audio file is ``<id>.flac``, except AudioSet_SL, whose ids are ``Y<ytid>.wav`` and
whose files are ``Y<ytid>.flac``; never ``file_name``. FLACs are found anywhere under the root (copies move them
up) in a folder path holding ``<Subset>`` or ``<Subset>_flac``, since ids of different subsets can coincide.

Blacklists (the same three files in the GitHub repo's ``data/json_files/blacklist/`` and on the Hub): each is
``{"AudioSet": ["Y<ytid>.wav", ...], "FreeSound": ["<id>", ...]}`` (indented JSON, ids as strings), the clips the
WavCaps authors leave out to keep AudioCaps and Clotho (``all_ac``: all their clips; ``test_ac``: their test
clips) or UrbanSound8K, ESC-50 and VGGSound (``ub8k_esc50_vggsound``) out of training. The authors apply one of
them per experiment; this parser applies every one present in ``json_files/blacklist/`` (any ``*.json`` there),
since the AudioCaps, Clotho, ESC-50 and VGGSound benchmarks are sources of this package's own configs: a listed
entry of ``AudioSet_SL`` or ``FreeSound`` is left out, counted under its own reason (not an error, not a missing
file; before its FLAC is looked for). Remove a file from that folder to keep what it lists. Without the folder
nothing is left out. A blacklist that is not such a dict of lists of strings is an error naming the file and key.

Record ids are ``<Subset>_<id without .wav>``. WavCaps has no split: everything is ``train``. Entries are dealt
into shards by a stable hash of the id (up to 16 per subset, judged by the JSON's size). An entry whose FLAC is
absent is skipped and counted in one warning per shard; FLACs without an entry are ignored (they have no caption).

``speech`` (for audio.speech_nonspeech_detection) is ``non-speech`` or None, from the caption: ``non-speech`` when
it names no speech (:data:`SPEECH_WORDS`), no human voice or presence (:data:`VOICE_WORDS`: singing, laughter, a
crowd, a man, chatter... may well come with speech) and no vocal sound that is not words (:data:`NOT_WORDS`:
gibberish, babbling); ``speech_source`` says where it comes from (:data:`CAPTION_RULE`). WavCaps' JSON files carry
no class labels (AudioSet_SL's captions were written from AudioSet's strong labels, which are not in the release),
so the caption is all there is. Measured on the 1,232 real SoundBible captions of the WavCaps repository
(``data/json_files/SoundBible/sb_final.json``): 930 non-speech, 55 speech, 247 neither; of 30 non-speech captions
drawn at random, 30 describe no speech (what the caption says, not what the audio holds: a clip may have speech its
caption leaves out; 0/30 wrong bounds the error rate below about 10% at 95% confidence). A caption that names speech
gives no label: of 30 such captions 26 describe speech (the misses: shorebirds "chatting", "crows talking", a
cartoon "speech sound", a radio effect), about 13% wrong, too many for a label, so the speech segments of that
config come from a speech corpus instead (its ``draw: {speech: speech}`` role: LibriSpeech, LibriTTS-R, DNS clean
speech), each placed clip's corpus and id recorded (audio_flan/shapes/placement.py). :func:`speech_class` gives
the caption's three-way class (``speech``, ``non-speech``, None) the measurement was made with.

AudioSet strong labels, when given: put ``audioset_train_strong.tsv`` and/or ``audioset_eval_strong.tsv`` with
``mid_to_display_name.tsv`` (research.google.com/audioset/download_strong.html, as the ``audioset_strong`` parser
reads them) in ``json_files/AudioSet_SL/``. An AudioSet_SL clip whose YouTube id has strong-label rows is then
labelled from them, not from its caption: ``non-speech`` (``speech_source``: :data:`STRONG_RULE`) when none of
its events is of a speech class (:data:`SPEECH_EVENTS`), else None (not used); clips without rows keep the caption
rule. A malformed row is an error naming file and line (under ``on_error="skip"``: counted, its segment left out);
strong TSVs without ``mid_to_display_name.tsv`` beside them are an error naming the folder.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

from . import audioset_strong
from ._stable_hash import stable_hash
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, is_hidden, read_json, visible_names

JSON_FILES = {
    "AudioSet_SL": "as_final.json",
    "BBC_Sound_Effects": "bbc_final.json",
    "FreeSound": "fsd_final.json",
    "SoundBible": "sb_final.json",
}
MAX_SHARDS = 16
BYTES_PER_SHARD = 1 << 20
FIELDS = ("id", "audio", "caption", "description", "title", "tags", "duration", "subset", "speech", "speech_source")
SPEECH_LABELS = ("non-speech",)
#: where a record's ``speech`` comes from (its ``speech_source``)
CAPTION_RULE = "WavCaps caption: no speech, voice or vocal-sound word (sources/wavcaps.py)"
STRONG_RULE = "AudioSet strong labels: no speech event (sources/wavcaps.py)"
#: AudioSet classes (display names, as mid_to_display_name.tsv spells them) whose events are or hold speech: the
#: Speech node of the AudioSet ontology with its children, whispering and speech babble
SPEECH_EVENTS = frozenset(
    {
        "Speech",
        "Male speech, man speaking",
        "Female speech, woman speaking",
        "Child speech, kid speaking",
        "Conversation",
        "Narration, monologue",
        "Babbling",
        "Speech synthesizer",
        "Whispering",
        "Hubbub, speech noise, speech babble",
    }
)
SPEECH_WORDS = frozenset(
    """speak speaks speaking spoke speech speeches talk talks talking talked conversation conversations converse
    conversing says saying said narrates narrating narration narrator announces announcing announcement announcer
    lecture lecturing chat chatting discuss discusses discussing discussion interview
    whisper whispers whispering whispered dialogue monologue""".split()
)
VOICE_WORDS = frozenset(
    """voice voices vocal vocals sing sings singing sang song songs choir chant chants chanting shout shouts shouting
    yell yells yelling scream screams screaming cry cries crying laugh laughs laughing laughter giggle giggles cheer
    cheers cheering applause crowd crowds audience people person persons man men woman women boy boys girl girls
    child children kid kids baby babies someone somebody human humans speaker radio television tv broadcast
    murmur murmurs murmuring babble babbling chatter chatters chattering gibberish""".split()
)
#: vocal sounds that are not words: a caption naming one is not labelled (speech words may come with it)
NOT_WORDS = frozenset("gibberish babble babbles babbling".split())
_WORD = re.compile(r"[a-z]+")
BLACKLIST_DIR = "blacklist"
#: blacklist key -> the subset whose ids it lists
BLACKLIST_KEYS = {"AudioSet": "AudioSet_SL", "FreeSound": "FreeSound"}
BLACKLISTED = "entry(ies) on a WavCaps blacklist (overlap with AudioCaps, Clotho, UrbanSound8K, ESC-50 or VGGSound)"


class WavCapsFormatError(CorpusFormatError):
    """A WavCaps JSON file that is not what the corpus's files look like."""


def speech_class(caption: str) -> Optional[str]:
    """``speech`` when the caption names speech, ``non-speech`` when it names no speech, voice or human presence,
    else None (see the module's docstring for the rule's measured error)."""
    words = set(_WORD.findall(caption.lower()))
    if words & NOT_WORDS:
        return None
    if words & SPEECH_WORDS:
        return "speech"
    if words & VOICE_WORDS:
        return None
    return "non-speech"


def _speech(caption: str, strong: Optional[bool] = None) -> dict[str, Optional[str]]:
    """The record's ``speech`` and ``speech_source``: ``non-speech`` from AudioSet's strong labels when the clip has
    them (``strong``: whether one of its events is speech), else from the caption rule; otherwise None."""
    if strong is not None:
        return (
            {"speech": None, "speech_source": None}
            if strong
            else {"speech": "non-speech", "speech_source": STRONG_RULE}
        )
    nonspeech = speech_class(caption) == "non-speech"
    return {"speech": "non-speech" if nonspeech else None, "speech_source": CAPTION_RULE if nonspeech else None}


def strong_speech(root: Path, skips: Optional[Skips] = None) -> Optional[dict[str, bool]]:
    """YouTube id -> whether one of its AudioSet strong-label events is speech (:data:`SPEECH_EVENTS`), from the
    strong-label TSVs put in ``json_files/AudioSet_SL/``; None when there are none. Read once per process while the
    files are unchanged (given ``skips`` of a load that skips bad rows: read anew, bad rows counted, their segments
    left out)."""
    folder = root / "json_files" / "AudioSet_SL"
    tsvs = [folder / name for name in sorted(audioset_strong.FILES) if (folder / name).is_file()]
    if not tsvs:
        return None
    names = folder / audioset_strong.NAMES
    if not names.is_file():
        raise WavCapsFormatError(
            f"{tsvs[0]}: AudioSet strong labels need {audioset_strong.NAMES} (mid<TAB>display name) beside them, "
            f"in {folder}"
        )
    if skips is not None:
        return _strong_speech(tsvs, names, skips)
    stats = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in [*tsvs, names])
    return _strong_cached(stats)


@functools.lru_cache(maxsize=2)
def _strong_cached(stats: tuple[tuple[str, int, int], ...]) -> dict[str, bool]:
    *tsvs, names = (Path(p) for p, _, _ in stats)
    return _strong_speech(tsvs, names, None)


def _strong_speech(tsvs: list[Path], names: Path, skips: Optional[Skips]) -> dict[str, bool]:
    mids = audioset_strong.read_names(names, skips)
    out: dict[str, bool] = {}
    for tsv in tsvs:
        for segment, events in audioset_strong.read_events(tsv, mids, skips).items():
            ytid = segment.rpartition("_")[0]
            out[ytid] = out.get(ytid, False) or any(label in SPEECH_EVENTS for _, _, label in events)
    return out


def _subsets(root: Path) -> list[str]:
    folder = root / "json_files"
    return [s for s, name in JSON_FILES.items() if (folder / s / name).is_file()]


def detect(root: Path) -> bool:
    return "json_files" in visible_names(root) and bool(_subsets(root))


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """``[subset, index, count]`` per shard; nothing is read (the count comes from each JSON's size)."""
    shards: list[Shard] = []
    for subset in _subsets(root):
        size = (root / "json_files" / subset / JSON_FILES[subset]).stat().st_size
        count = max(1, min(MAX_SHARDS, size // BYTES_PER_SHARD))
        shards.extend([subset, i, count] for i in range(count))
    return {"train": shards}


def shard_of(record_id: str, count: int) -> int:
    return stable_hash(record_id) % count


def flac_files(root: Path, subset: str) -> dict[str, str]:
    """File name -> path of the subset's FLACs: those under root whose folder path holds ``<subset>`` or
    ``<subset>_flac`` (json_files/ aside), the first in sorted order when a name repeats."""
    found: dict[str, str] = {}
    marks = {subset.lower(), f"{subset.lower()}_flac"}
    others = {m for s in JSON_FILES if s != subset for m in (s.lower(), f"{s.lower()}_flac")}
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        # the other subsets' folders are not walked (FreeSound alone holds 262,300 files)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not is_hidden(d) and d.lower() not in others and not (rel == "." and d == "json_files")
        )
        if not marks & {part.lower() for part in Path(rel).parts}:
            continue
        for name in sorted(filenames):
            if name.lower().endswith(".flac") and not is_hidden(name):
                found.setdefault(name, os.path.join(dirpath, name))
    return found


def _entries(path: Path) -> list[Any]:
    data = read_json(path, WavCapsFormatError)
    if isinstance(data, dict):
        data = data.get("data")
    if not isinstance(data, list):
        raise WavCapsFormatError(f'{path}:1: expected {{"num_captions_per_audio": 1, "data": [...]}} or a list')
    return data


def _stem(subset: str, clip: str) -> str:
    """The id as record ids and FLAC names use it: AudioSet_SL's ``Y<ytid>.wav`` without ``.wav``."""
    return clip[: -len(".wav")] if subset == "AudioSet_SL" and clip.endswith(".wav") else clip


def blacklisted(root: Path, subset: str) -> frozenset[str]:
    """The ids (as :func:`_stem` gives them) of ``subset`` that the blacklists in ``json_files/blacklist/`` list."""
    folder = root / "json_files" / BLACKLIST_DIR
    if not folder.is_dir():
        return frozenset()
    out: set[str] = set()
    for name in sorted(visible_names(folder)):
        path = folder / name
        if name.lower().endswith(".json") and path.is_file():
            st = path.stat()
            out |= _blacklist(str(path), st.st_mtime_ns, st.st_size).get(subset, frozenset())
    return frozenset(out)


@functools.lru_cache(maxsize=8)
def _blacklist(path: str, mtime_ns: int, size: int) -> dict[str, frozenset[str]]:
    """Subset -> listed ids of one blacklist file (read once per process while the file is unchanged)."""
    data = read_json(Path(path), WavCapsFormatError)
    expected = 'expected {"AudioSet": ["Y<ytid>.wav", ...], "FreeSound": ["<id>", ...]}'
    if not isinstance(data, dict):
        raise WavCapsFormatError(f"{path}:1: a blacklist is a JSON object; {expected}")
    out: dict[str, frozenset[str]] = {}
    for key, ids in data.items():
        if key not in BLACKLIST_KEYS:
            raise WavCapsFormatError(f"{path}: key {key!r} is not AudioSet or FreeSound; {expected}")
        if not isinstance(ids, list) or not all(isinstance(i, str) and i.strip() for i in ids):
            raise WavCapsFormatError(f"{path}: {key!r} is not a list of clip ids (strings); {expected}")
        subset = BLACKLIST_KEYS[key]
        out[subset] = frozenset(_stem(subset, i.strip()) for i in ids)
    return out


def _entry(path: Path, index: int, entry: Any, subset: str) -> dict:
    """The checked fields of ``data[index]``; an error names the file and the entry."""
    where = f"{path}:1: data[{index}]"
    if not isinstance(entry, dict):
        raise WavCapsFormatError(f"{where} is not an object")
    raw_id, caption = entry.get("id"), entry.get("caption")
    if not isinstance(raw_id, (str, int)) or isinstance(raw_id, bool) or not str(raw_id).strip():
        raise WavCapsFormatError(f"{where}: 'id' is {raw_id!r}; expected the clip's id")
    clip = str(raw_id).strip()
    if "/" in clip or "\\" in clip or clip.startswith("."):
        raise WavCapsFormatError(f"{where}: 'id' {clip!r} is not a file name")
    if not isinstance(caption, str) or not caption.strip():
        raise WavCapsFormatError(f"{where} ({clip}): 'caption' is {caption!r}; expected a sentence")
    duration = entry.get("duration")
    if duration is not None and (isinstance(duration, bool) or not isinstance(duration, (int, float)) or duration < 0):
        raise WavCapsFormatError(f"{where} ({clip}): 'duration' is {duration!r}; expected seconds")
    tags = entry.get("tags")
    stem = _stem(subset, clip)
    return {
        "clip": stem,
        "file": f"{stem}.flac",
        "caption": caption.strip(),
        "description": entry.get("description") if isinstance(entry.get("description"), str) else None,
        "title": entry.get("title") if isinstance(entry.get("title"), str) else None,
        "tags": [str(t) for t in tags] if isinstance(tags, list) else None,
        "duration": None if duration is None else float(duration),
    }


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) == 3 and shard[0] in JSON_FILES):
        raise WavCapsFormatError(f"shard {shard!r} is not [subset, index, count]")
    subset, index, count = shard
    path = root / "json_files" / subset / JSON_FILES[subset]
    skips = Skips(f"WavCaps {subset} shard {index + 1}/{count} in {root}", SOURCE.missing_audio)
    flacs = flac_files(root, subset)
    excluded = blacklisted(root, subset)
    strong = strong_speech(root, skips if skips.skipping else None) if subset == "AudioSet_SL" else None
    records: dict[str, Record] = {}
    for k, raw in enumerate(_entries(path)):
        try:
            entry = _entry(path, k, raw, subset)
        except WavCapsFormatError as err:
            if index == 0:  # every shard checks every entry; a skipped bad one is counted by the first
                skips.bad(err)
            elif not skips.skipping:
                raise
            continue
        rid = f"{subset}_{entry['clip']}"
        if shard_of(rid, count) != index:
            continue
        if rid in records:
            skips.bad(WavCapsFormatError(f"{path}:1: data[{k}]: id {entry['clip']!r} repeats an earlier entry"))
            continue
        if entry["clip"] in excluded:
            skips.add(BLACKLISTED, f"data[{k}]: {entry['clip']}", always=True, audio=False)
            continue
        audio = flacs.get(entry["file"])
        if audio is None:
            skips.add("entry(ies) whose FLAC is not in the folder", f"data[{k}]: {entry['file']}")
            continue
        records[rid] = {
            "id": rid,
            "audio": audio,
            "caption": entry["caption"],
            "description": entry["description"],
            "title": entry["title"],
            "tags": entry["tags"],
            "duration": entry["duration"],
            "subset": subset,
            **_speech(entry["caption"], None if strong is None else strong.get(entry["clip"].removeprefix("Y"))),
        }
    yield from (records[r] for r in sorted(records))
    skips.report()


SOURCE = Source(
    name="wavcaps",
    corpus="WavCaps",
    license="academic use only (WavCaps README); each source's terms apply (FreeSound CC licences, BBC RemArc)",
    redistributable=False,
    homepage="https://huggingface.co/datasets/cvssp/WavCaps",
    layout="WavCaps/ with json_files/<Subset>/<name>_final.json ({'data': [...]}) and the subsets' FLACs below",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="WavCaps",
    labels={"speech": SPEECH_LABELS},
    listing_reads=(),
)
