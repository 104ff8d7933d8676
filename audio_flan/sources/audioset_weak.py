"""AudioSet weak (clip-level) labels (Gemmeke et al., ICASSP 2017): 10-second YouTube segments, each with the
AudioSet classes raters heard in it.

Licence: the labels are CC BY 4.0 (Google); the audio belongs to the YouTube uploaders, so the clips a user
downloaded are never redistributable (export leaves them out unless told otherwise).

Layout, as ``research.google.com/audioset/download.html`` distributes the CSVs (copies of the real files seen in
GitHub ``bakhtos/GoogleAudioSetReformatted``; PANNs' ``qiuqiangkong/audioset_tagging_cnn`` keeps them in
``metadata/``), with the user's clips anywhere below the root::

    <root>/                               (or <root>/metadata/ for the CSVs, as PANNs lays them out)
      balanced_train_segments.csv         -> train
      unbalanced_train_segments.csv       -> train (disjoint from the balanced set)
      eval_segments.csv                   -> test
      class_labels_indices.csv            index,mid,display_name (527 rows, every display name quoted)
      <any folders>/<clips>               see readers.YouTubeClips for the names accepted
                                          (PANNs: audios/<csv stem>/Y<ytid>.wav; DCASE: Y<ytid>_<s>_<e>.wav; ...)

Each segments CSV starts with three comment lines (``# Segments csv created <date>``, ``# num_ytids=...``,
``# YTID, start_seconds, end_seconds, positive_labels``); a data line is comma + space separated with the label
list always quoted, e.g. ``--PJHxphWEs, 30.000, 40.000, "/m/09x0r,/t/dd00088"``. YouTube ids may begin with
``-``. Clips may be WAV/FLAC/MP3/Ogg or, through the ``video`` extra, m4a/mp4/webm.

Record: ``labels`` are the display names (file order), ``content`` the clip's class among speech, music, noise
and silence for ``audio.speech_music_noise_classification``, or None when the labels do not decide it (the
task then leaves the clip out and counts it):

- speech: a Speech class (Speech and its children: male, female, child speech, conversation, narration,
  babbling, speech synthesizer) and no music class and no Silence;
- music: a music class (Music and everything under it in the ontology: instruments, genres, musical
  concepts, roles, moods; and the singing classes: singing, choir, yodeling, chant, mantra, male, female,
  child and synthetic singing, rapping) and no speech class and no Silence;
- silence: Silence as the only label;
- noise: no speech, music or silence class and at least one noise-like class (Noise and its children:
  environmental noise, static, mains hum, distortion, sidetone, cacophony, white and pink noise, throbbing,
  vibration; and hum, wind noise (microphone), traffic noise);
- otherwise (speech with music, other sound events only) None.

``event`` is the clip's ESC-50 category for ``audio.sound_event_recognition`` when its labels map onto exactly one
(:mod:`audio_flan.sources._audioset_esc50` holds the documented table and what it leaves out as ambiguous), else
None (the task then leaves the clip out and counts it; never a clip whose labels map onto two categories).

A segment whose clip is not in the folder is skipped and counted in one warning per shard (users rarely
hold every segment). Rows are dealt into shards by a stable hash of the segment id (up to 16 per file).

Every shard reads the class list and every line of its segments CSV, so every shard checks them: a malformed line
(not four comma-separated fields, not UTF-8, a YTID not 11 characters, seconds that are not, an end not after the
start, a label not in the class list, a segment listed twice; in the class list, a row not
``<index>,<mid>,"<display name>"`` or a mid listed twice) is an error naming file and line by default. Under
``on_error="skip"`` it is skipped and counted by every shard reading it (once per split loaded). A segment labelled with the mid of a skipped class row
(or, once class rows were skipped, with any mid not in the list: it may be the mid of a row that could not be
read) has lost the name of one of its labels, so it is left out too and counted as dependent, under its own
reason.
The comment lines and the class list's header stay errors under every policy when they are not the corpus's.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

from ._audioset import YTID, check_shard, file_shards, read_classes, seconds, segment_id, shard_of
from ._audioset_esc50 import MAPPED as ESC50_MAPPED
from ._audioset_esc50 import esc50_category
from .base import CorpusFormatError, Record, Shard, Source
from .readers import Skips, YouTubeClips, text_lines, visible_names

FILES = {
    "balanced_train_segments.csv": "train",
    "unbalanced_train_segments.csv": "train",
    "eval_segments.csv": "test",
}
CLASSES = "class_labels_indices.csv"
FOLDERS = ("", "metadata")  # where the CSVs may sit: the root, or PANNs' metadata/
CONTENT = ("speech", "silence", "music", "noise")
FIELDS = ("id", "audio", "ytid", "start", "end", "labels", "mids", "content", "event", "subset")

SPEECH = frozenset(("/m/09x0r", "/m/05zppz", "/m/02zsn", "/m/0ytgt", "/m/01h8n0", "/m/02qldy", "/m/0261r1", "/m/0brhx"))
SILENCE = "/m/028v0c"
# Singing, Choir, Yodeling, Chant, Mantra, Male/Female/Child/Synthetic singing, Rapping
SINGING = tuple(
    "/m/015lz1 /m/0l14jd /m/01swy6 /m/02bk07 /m/01c194 /t/dd00003 /t/dd00004 /t/dd00005 /t/dd00006 /m/06bxc".split()
)
# Music (/m/04rlf) and its ontology subtree, as class_labels_indices.csv lists it (indices 137-282)
MUSIC = frozenset(
    SINGING
    + tuple(
        """/m/04rlf /m/04szw /m/0fx80y /m/0342h /m/02sgy /m/018vs /m/042v_gx /m/06w87 /m/01glhc /m/07s0s5r /m/018j2
    /m/0jtg0 /m/04rzd /m/01bns_ /m/07xzm /m/05148p4 /m/05r5c /m/01s0ps /m/013y1f /m/03xq_f /m/03gvt /m/0l14qv
    /m/01v1d8 /m/03q5t /m/0l14md /m/02hnl /m/0cfdd /m/026t6 /m/06rvn /m/03t3fj /m/02k_mr /m/0bm02 /m/011k_j /m/01p970
    /m/01qbl /m/03qtq /m/01sm1g /m/07brj /m/05r5wn /m/0xzly /m/0mbct /m/016622 /m/0j45pbj /m/0dwsp /m/0dwtp /m/0dwt5
    /m/0l156b /m/05pd6 /m/01kcd /m/0319l /m/07gql /m/07c6l /m/0l14_3 /m/02qmj0d /m/07y_7 /m/0d8_n /m/01xqw /m/02fsn
    /m/085jw /m/0l14j_ /m/06ncr /m/01wy6 /m/03m5k /m/0395lw /m/03w41f /m/027m70_ /m/0gy1t2s /m/07n_g /m/0f8s22
    /m/026fgl /m/0150b9 /m/03qjg /m/0mkg /m/0192l /m/02bxd /m/0l14l2 /m/07kc_ /m/0l14t7 /m/01hgjl /m/064t9 /m/0glt670
    /m/02cz_7 /m/06by7 /m/03lty /m/05r6t /m/0dls3 /m/0dl5d /m/07sbbz2 /m/05w3f /m/06j6l /m/0gywn /m/06cqb /m/01lyv
    /m/015y_n /m/0gg8l /m/02x8m /m/02w4v /m/06j64v /m/03_d0 /m/026z9 /m/0ggq0m /m/05lls /m/02lkt /m/03mb9 /m/07gxw
    /m/07s72n /m/0283d /m/0m0jc /m/08cyft /m/0fd3y /m/07lnk /m/0g293 /m/0ln16 /m/0326g /m/0155w /m/05fw6t /m/02v2lh
    /m/0y4f8 /m/0z9c /m/0164x2 /m/0145m /m/02mscn /m/016cjb /m/028sqc /m/015vgc /m/0dq0md /m/06rqw /m/02p0sh1
    /m/05rwpb /m/074ft /m/025td0t /m/02cjck /m/03r5q_ /m/0l14gg /m/07pkxdp /m/01z7dr /m/0140xf /m/0ggx5q /m/04wptg
    /t/dd00031 /t/dd00032 /t/dd00033 /t/dd00034 /t/dd00035 /t/dd00036 /t/dd00037""".split()
    )
)
# Noise (/m/096m7z) and its children, and the other classes named for noise
NOISE = frozenset(
    """/m/096m7z /m/06_y0by /m/07rgkc5 /m/06xkwv /m/0g12c5 /m/08p9q4 /m/07szfh9 /m/0chx_ /m/0cj0r /m/07p_0gm
    /m/01jwx6 /m/07rcgpl /t/dd00092 /m/0btp2""".split()
)


class AudioSetWeakFormatError(CorpusFormatError):
    """An AudioSet segments or class list file that is not what the download page describes."""


def _folder(root: Path) -> Optional[Path]:
    """Where the CSVs are: the root, or its metadata/ folder."""
    for name in FOLDERS:
        folder = root / name if name else root
        names = set(visible_names(folder))
        if CLASSES in names and any(f in names for f in FILES):
            return folder
    return None


def detect(root: Path) -> bool:
    return _folder(root) is not None


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """``[csv name, index, count]`` per shard; nothing is read (the count comes from each file's size)."""
    folder = _folder(root)
    shards: dict[str, list[Shard]] = {}
    if folder is None:
        return shards
    for name, split in FILES.items():
        if (folder / name).is_file():
            shards.setdefault(split, []).extend(file_shards(folder / name, name))
    return shards


def content_of(mids: list[str]) -> Optional[str]:
    """The clip's class among speech, music, noise and silence (see the module's docstring), or None."""
    present = set(mids)
    speech, music = bool(present & SPEECH), bool(present & MUSIC)
    if SILENCE in present:
        return "silence" if present == {SILENCE} else None
    if speech != music:
        return "speech" if speech else "music"
    if not speech and present & NOISE:
        return "noise"
    return None


def read_segments(
    path: Path, classes: Optional[dict[str, str]], skips: Optional[Skips] = None
) -> Iterator[tuple[int, str, float, float, list[str]]]:
    """(line, YouTube id, start, end, label mids) per data line; comment lines (``#``) are passed over. A
    malformed line raises, naming file and line (given ``skips`` of a load that skips bad items: counted there).
    Labels are checked against ``classes`` unless it is None."""
    for line_no, text in text_lines(path, AudioSetWeakFormatError, skips=skips):
        if not text.strip() or text.startswith("#"):
            continue
        try:
            yield (line_no, *_segment(f"{path}:{line_no}", text, classes))
        except AudioSetWeakFormatError as err:
            if skips is None:
                raise
            skips.bad(err)


def _segment(where: str, text: str, classes: Optional[dict[str, str]]) -> tuple[str, float, float, list[str]]:
    try:
        (values,) = list(csv.reader([text], skipinitialspace=True, strict=True))
    except (csv.Error, ValueError) as err:
        raise AudioSetWeakFormatError(f"{where}: not valid comma-separated text ({err})") from None
    if len(values) != 4:
        raise AudioSetWeakFormatError(
            f'{where}: expected 4 fields (YTID, start_seconds, end_seconds, "positive_labels"), got {len(values)}'
        )
    ytid = values[0].strip()
    if not YTID.fullmatch(ytid):
        raise AudioSetWeakFormatError(f"{where}: YTID {ytid!r} is not an 11-character YouTube id")
    start = seconds(values[1].strip(), "start_seconds", where, AudioSetWeakFormatError)
    end = seconds(values[2].strip(), "end_seconds", where, AudioSetWeakFormatError)
    if end <= start:
        raise AudioSetWeakFormatError(f"{where}: end_seconds {end} is not after start_seconds {start}")
    mids = [m.strip() for m in values[3].split(",")]
    unknown = [m for m in mids if classes is not None and m not in classes]
    if unknown:
        raise AudioSetWeakFormatError(f"{where}: label {unknown[0]!r} is not in {CLASSES}")
    return ytid, start, end, mids


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    name, index, count = check_shard(shard, FILES, AudioSetWeakFormatError, "segments csv")
    folder = _folder(root)
    if folder is None:
        raise AudioSetWeakFormatError(f"{root}: no {CLASSES} beside the segments CSVs (in the folder or metadata/)")
    path = folder / name
    class_rows = Skips(f"AudioSet {folder / CLASSES}", SOURCE.missing_audio)  # the class list is read by every shard
    classes = read_classes(folder / CLASSES, AudioSetWeakFormatError, class_rows)
    found = YouTubeClips([root])  # listed anew per shard: clips come and go between reads
    skips = Skips(f"AudioSet {path} shard {index + 1}/{count}", SOURCE.missing_audio)
    rows = Skips(f"AudioSet {path}", SOURCE.missing_audio)
    records: dict[str, Record] = {}
    # once class rows were skipped, a label not in the list may be one of theirs: its segment is a dependent loss
    for line_no, ytid, start, end, mids in read_segments(path, None if class_rows.malformed else classes, rows):
        segment = segment_id(ytid, start)
        if shard_of(segment, count) != index:
            continue
        if segment in records:
            skips.bad(AudioSetWeakFormatError(f"{path}:{line_no}: segment {ytid} at {start} s is listed twice"))
            continue
        if any(m not in classes for m in mids):
            reason = f"segment(s) labelled with a class not read from {CLASSES} (its row skipped as malformed)"
            skips.add(reason, f"line {line_no}: {segment}", always=True, audio=False)
            continue
        audio = found.find(ytid, start)
        if audio is None:
            skips.add("segment(s) whose clip is not in the folder", segment)
            continue
        records[segment] = {
            "id": segment,
            "audio": audio,
            "ytid": ytid,
            "start": start,
            "end": end,
            "labels": [classes[m] for m in mids],
            "mids": mids,
            "content": content_of(mids),
            "event": esc50_category(mids),
            "subset": name[: -len("_segments.csv")],
        }
    yield from (records[k] for k in sorted(records))
    skips.report()
    rows.report()
    class_rows.report()


SOURCE = Source(
    name="audioset_weak",
    corpus="AudioSet",
    license="labels CC BY 4.0; audio owned by the YouTube uploaders",
    redistributable=False,
    homepage="https://research.google.com/audioset/download.html",
    layout="*_segments.csv and class_labels_indices.csv (or in metadata/) beside a folder of 10-s YouTube clips",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="AudioSet",
    labels={"content": CONTENT, "event": ESC50_MAPPED},
)
