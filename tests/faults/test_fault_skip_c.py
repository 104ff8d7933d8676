"""Bad metadata of ASVspoof, ESD, Genshin/StarRail, MagicData-RAMC and the Parallel Audiobook Corpus, built from
the fixture corpora: each malformed line is an error naming file and line and what was expected by default, and
under on_error="skip" a counted skip (once, however many shards read the line) with every other record read;
items that depend on a skipped row are left out and counted under their own reason; a header that is not the
corpus's, or a file that breaks as a whole, is an error under every policy."""

from __future__ import annotations

import shutil

import pytest
from corpora import asvspoof as asvspoof_corpus
from corpora import esd as esd_corpus
from corpora import genshin_starrail as genshin_corpus
from corpora import magicdata_ramc as ramc_corpus
from corpora import parallel_audiobook as audiobook_corpus
from faults_helpers import Error, check_counted_once, check_each_split, ids, malformed, others, read_source
from test_fault_corpora import insert_line

import audio_flan.sources.asvspoof as asvspoof_parser
import audio_flan.sources.esd as esd_parser
import audio_flan.sources.genshin_starrail as genshin_parser
import audio_flan.sources.magicdata_ramc as ramc_parser
from audio_flan.sources import get_sources
from audio_flan.sources.asvspoof import ASVspoofFormatError
from audio_flan.sources.esd import ESDFormatError
from audio_flan.sources.genshin_starrail import GenshinStarRailFormatError
from audio_flan.sources.magicdata_ramc import MagicDataRAMCFormatError
from audio_flan.sources.parallel_audiobook import ParallelAudiobookFormatError, split_of

BUILDERS = {
    "asvspoof": asvspoof_corpus.build,
    "esd": esd_corpus.build,
    "genshin_starrail": genshin_corpus.build,
    "magicdata_ramc": ramc_corpus.build,
    "parallel_audiobook": audiobook_corpus.build,
}


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    base = tmp_path_factory.mktemp("skip_c")
    return {name: build(base / name) for name, build in BUILDERS.items()}


def copy(templates: dict, name: str, tmp_path):
    corpus = templates[name]
    root = tmp_path / corpus.root.name
    shutil.copytree(corpus.root, root, symlinks=True)
    return root


def shard_count(name, root) -> int:
    return sum(len(s) for s in get_sources()[name].list_shards(root).values())


def check_bad_line(name, error, root, file, at, raw, says, by=None):
    """Insert ``raw`` as line ``at`` of ``file``: an error naming file:line saying ``says`` by default; under "skip"
    every other record read and the one line counted once by each split loaded that reads it (or ``by``)."""
    baseline = read_source(name, root)
    insert_line(root / file, at, raw)
    Error(error, file, at, says).check(root, lambda: read_source(name, root))
    check_counted_once(name, root, baseline, f"{file}:{at}", by=by)


def replace(path, line: int, raw: bytes) -> None:
    lines = path.read_bytes().rstrip(b"\n").split(b"\n")
    lines[line - 1] = raw
    path.write_bytes(b"\n".join(lines) + b"\n")


def check_dependent(name, root, baseline, shows: str, lost: set[str], reason: str, count: int) -> None:
    """Under on_error="skip": every record but ``lost`` read, one malformed line counted showing ``shows`` (once by
    each split loaded that reads its file), and ``count`` dependent items under a reason holding ``reason``."""
    records, got = read_source(name, root, "skip")
    assert set(lost) <= set(ids(baseline[0]))
    assert ids(records) == sorted(set(ids(baseline[0])) - lost)
    number, first = malformed(got)
    assert number == sum(check_each_split(name, root, shows).values()), got.text()
    assert any(shows in item for item in first), got.text()
    dependent = {r: n for r, n in others(got).items() if reason in r}
    assert sum(dependent.values()) == count, got.text()


# ------------------------------------------------------------------------------------------------- ASVspoof

DF_KEY = "keys/DF/CM/trial_metadata.txt"
LA_KEY = "keys/LA/CM/trial_metadata.txt"
TRAIN_2019 = "LA/ASVspoof2019_LA_cm_protocols/ASVspoof2019.LA.cm.train.trn.txt"
DF = "LA_0031 DF_E_2000099 nocodec asvspoof A07 {label} notrim progress {vocoder} - - - -"
ASVSPOOF_ROWS = [
    ("df-short", DF_KEY, b"LA_0031 DF_E_2000099 nocodec asvspoof A07 spoof", "expected 13 space-separated fields"),
    ("df-label", DF_KEY, DF.format(label="fake", vocoder="-").encode(), "expected bonafide or spoof"),
    ("df-vocoder", DF_KEY, DF.format(label="spoof", vocoder="magic").encode(), "vocoder 'magic' is not one of"),
    ("df-trial", DF_KEY, b"LA_0031 XX_E_1 nocodec asvspoof A07 spoof notrim eval - - - - -", "is not '<LA|DF>_"),
    ("la-latin-1", LA_KEY, b"LA_0009 LA_E_9332882 alaw ita_tx A07 spoof notrim \xe9val", "not utf-8 text (byte 0xe9"),
    ("2019-system", TRAIN_2019, b"LA_0079 LA_T_9999999 - A01 bonafide", "does not fit KEY 'bonafide'"),
    ("2019-no-dash", TRAIN_2019, b"LA_0079 LA_T_9999999 x A01 spoof", "expected 'SPEAKER_ID AUDIO_FILE_NAME - SYSTEM"),
    ("2019-repeated", TRAIN_2019, b"LA_0079 LA_T_1138215 - - bonafide", "trial LA_T_1138215 is also on line 1"),
]


@pytest.mark.parametrize("file,raw,says", [c[1:] for c in ASVSPOOF_ROWS], ids=[c[0] for c in ASVSPOOF_ROWS])
def test_asvspoof_a_bad_protocol_or_key_line(templates, tmp_path, file, raw, says):
    root = copy(templates, "asvspoof", tmp_path)
    check_bad_line("asvspoof", ASVspoofFormatError, root, file, 2, raw, says)


@pytest.mark.parametrize("raw,says", [c[2:] for c in ASVSPOOF_ROWS[:5]], ids=[c[0] for c in ASVSPOOF_ROWS[:5]])
def test_asvspoof_a_bad_key_line_dealt_into_several_parts_is_counted_once(templates, tmp_path, monkeypatch, raw, says):
    monkeypatch.setattr(asvspoof_parser, "BYTES_PER_SHARD", 60)  # each key file dealt into several parts
    root = copy(templates, "asvspoof", tmp_path)
    file = DF_KEY if raw.startswith(b"LA_0031") else LA_KEY
    assert shard_count("asvspoof", root) > 10
    check_bad_line("asvspoof", ASVspoofFormatError, root, file, 3, raw, says)


# ---------------------------------------------------------------------------------------------------- ESD

ESD_ROWS = [
    ("id-only", b"0011_000999", "expected '<utterance id><TAB><text><TAB><emotion>'"),
    ("other-speaker", b"0013_000999\tWho is it?\tNeutral", "utterance id '0013_000999' is not '0011_<6 digits"),
    ("number-too-big", b"0011_001751\tWho is it?\tNeutral", "from 000001 to 001750"),
    ("repeated", b"0011_000001\tAgain.\tNeutral", "utterance id 0011_000001 repeats line 1"),
    ("control", b"0011_000999\tWho\x07 is it?\tNeutral", "control characters after decoding as utf-8-sig"),
]


@pytest.mark.parametrize("raw,says", [c[1:] for c in ESD_ROWS], ids=[c[0] for c in ESD_ROWS])
def test_esd_a_bad_transcript_line_read_by_every_split_is_counted_once(templates, tmp_path, monkeypatch, raw, says):
    monkeypatch.setattr(esd_parser, "SPEAKERS_PER_SHARD", 1)  # one speaker a shard, each read by three splits
    root = copy(templates, "esd", tmp_path)
    assert shard_count("esd", root) == 3 * len(esd_corpus.SPEAKERS)
    check_bad_line("esd", ESDFormatError, root, "0011/0011.txt", 5, raw, says)


def test_esd_a_skipped_line_loses_only_its_utterance(templates, tmp_path):
    root = copy(templates, "esd", tmp_path)
    baseline = read_source("esd", root)
    replace(root / "0011" / "0011.txt", 2, b"0011_000002 only an id and text")  # its audio is there
    Error(ESDFormatError, "0011/0011.txt", 2, "expected '<utterance id>").check(root, lambda: read_source("esd", root))
    check_counted_once("esd", root, baseline, "0011.txt:2", lost={"0011_000002"})


def test_esd_a_byte_the_files_encoding_cannot_decode_is_an_error_whatever_the_policy(templates, tmp_path):
    root = copy(templates, "esd", tmp_path)
    path = root / "0001" / "0001.txt"  # GB2312: a lone lead byte at the end of line 3 does not decode
    lines = path.read_bytes().split(b"\n")
    lines[2] += b"\x81"
    path.write_bytes(b"\n".join(lines))
    for policy in (None, "skip"):
        Error(ESDFormatError, "0001/0001.txt", 3, "not gb18030 text").check(
            root, lambda policy=policy: read_source("esd", root, policy)
        )


# --------------------------------------------------------------------------------------- Genshin/StarRail

LISA = "中文 - Chinese/数据集 - Datasets/丽莎/vo_lisa_01.lab"
AMBER = "英语 - English/数据集 - Datasets/Amber/vo_amber_01.lab"


@pytest.mark.parametrize(
    "file,rid,data,line",
    [
        (LISA, "zh_丽莎_vo_lisa_01", "哎呀".encode("gb18030"), 1),
        (AMBER, "en_Amber_vo_amber_01", b"Outrider Amber,\nreporting for duty! caf\xe9", 2),
    ],
    ids=["gb18030", "latin-1-second-line"],
)
def test_genshin_starrail_a_lab_that_is_not_utf8_loses_its_clip(
    templates, tmp_path, monkeypatch, file, rid, data, line
):
    monkeypatch.setattr(genshin_parser, "CHARACTERS_PER_SHARD", 1)
    root = copy(templates, "genshin_starrail", tmp_path)
    baseline = read_source("genshin_starrail", root)
    (root / file).write_bytes(data)
    Error(GenshinStarRailFormatError, file, line, "not utf-8 text").check(
        root, lambda: read_source("genshin_starrail", root)
    )
    check_counted_once("genshin_starrail", root, baseline, f"{file.rsplit('/', 1)[1]}:{line}", lost={rid})


# ------------------------------------------------------------------------------------------ MagicData-RAMC

TXT = "MDT2021S003/TXT/CTS-CN-F2F-2019-11-15-188.txt"
SPKINFO = "MDT2021S003/SPKINFO.txt"
RAMC_TXT_ROWS = [
    (
        "no-times",
        b"G00000016\t\xe7\x94\xb7,\xe6\x99\xae\xe9\x80\x9a\xe8\xaf\x9d\t\xe5\xaf\xb9",
        "expected '[<start>,<end>]",
    ),
    ("three-fields", "[3.000,3.500]\tG00000016\t对".encode(), "expected '[<start>,<end>]<TAB>"),
    ("times-word", "[a,b]\tG00000016\t男,普通话\t对".encode(), "expected '[<start>,<end>]<TAB>"),
    ("unknown-speaker", "[3.000,3.500]\tG00000999\t男,普通话\t对".encode(), "speaker 'G00000999' has no row in"),
    ("latin-1", b"[3.000,3.500]\tG00000016\tM\tcaf\xe9", "not utf-8 text (byte 0xe9"),
]


@pytest.mark.parametrize("raw,says", [c[1:] for c in RAMC_TXT_ROWS], ids=[c[0] for c in RAMC_TXT_ROWS])
def test_magicdata_ramc_a_bad_transcript_line(templates, tmp_path, raw, says):
    root = copy(templates, "magicdata_ramc", tmp_path)
    check_bad_line("magicdata_ramc", MagicDataRAMCFormatError, root, TXT, 3, raw, says)


def test_magicdata_ramc_a_bad_partition_line_is_counted_when_listing(templates, tmp_path):
    root = copy(templates, "magicdata_ramc", tmp_path)
    check_bad_line(
        "magicdata_ramc", MagicDataRAMCFormatError, root, "DataPartition/train.tsv", 2, b"nowav\ttrain", "<dialog>.wav"
    )


RAMC_SPEAKER_ROWS = [
    ("five-fields", b"C0\tG00000140\tF\tMiddle-aged and young people\tGuangdong", "expected 6 tab-separated fields"),
    ("gender", b"C0\tG00000140\tX\tMiddle-aged and young people\tGuangdong\tMobile phone", "gender F or M"),
]


@pytest.mark.parametrize("raw,says", [c[1:] for c in RAMC_SPEAKER_ROWS], ids=[c[0] for c in RAMC_SPEAKER_ROWS])
def test_magicdata_ramc_a_bad_speaker_row_loses_its_segments_counted_once(templates, tmp_path, monkeypatch, raw, says):
    monkeypatch.setattr(ramc_parser, "DIALOGS_PER_SHARD", 1)  # every shard reads SPKINFO.txt
    root = copy(templates, "magicdata_ramc", tmp_path)
    assert shard_count("magicdata_ramc", root) == len(ramc_corpus.DIALOGS)
    baseline = read_source("magicdata_ramc", root)
    line = 1 + list(ramc_corpus.SPEAKERS).index("G00000140") + 1
    replace(root / SPKINFO, line, raw)
    Error(MagicDataRAMCFormatError, SPKINFO, line, says).check(root, lambda: read_source("magicdata_ramc", root))
    lost = {i for i in ids(baseline[0]) if i.startswith("G00000140-")}
    assert len(lost) == 1
    check_dependent("magicdata_ramc", root, baseline, f"{SPKINFO}:{line}", lost, "SPKINFO.txt row", len(lost))


def test_magicdata_ramc_a_spkinfo_header_that_is_not_the_corpus_is_an_error_whatever_the_policy(templates, tmp_path):
    root = copy(templates, "magicdata_ramc", tmp_path)
    replace(root / SPKINFO, 1, b"SPEAKER_ID\tGENDER\tAGE")
    for policy in (None, "skip"):
        Error(MagicDataRAMCFormatError, SPKINFO, 1, "expected the header 'CHANNEL").check(
            root, lambda policy=policy: read_source("magicdata_ramc", root, policy)
        )


# ------------------------------------------------------------------------------------ Parallel Audiobook

AUDIOBOOK_ROWS = [
    ("punc-no-text", "emma/txt.punc", 4, b"chp09_utt001", "expected '<chpXX_uttXXX> <text>'"),
    ("punc-bad-key", "emma/txt.punc", 4, b"chapter9 Some text.", "expected '<chpXX_uttXXX> <text>'"),
    ("clean-latin-1", "emma/txt.clean", 4, b"chp09_utt001 caf\xe9", "not utf-8 text (byte 0xe9"),
    ("gender", "emma/spk2gender", 5, b"zzz x", "gender of zzz is 'x'; expected m or f"),
    ("spk2utt-token", "emma/spk2utt", 5, b"{speaker} chp01_utt001 bogus", "'bogus' is not an utterance of"),
    ("spk2utt-other-speaker", "emma/spk2utt", 5, b"{speaker} msm_chp01_utt001", "is not an utterance of"),
    ("spk2utt-no-gender", "emma/spk2utt", 5, b"{speaker} chp01_utt001", "has no row in spk2gender"),
    ("spk2utt-twice", "emma/spk2utt", 5, b"scr chp01_utt001", "speaker scr is also on line 2"),
]


def a_train_speaker() -> str:
    return next(s for s in (f"z{n:02d}" for n in range(100)) if split_of(s) == "train")


@pytest.mark.parametrize("file,at,raw,says", [c[1:] for c in AUDIOBOOK_ROWS], ids=[c[0] for c in AUDIOBOOK_ROWS])
def test_parallel_audiobook_a_bad_line_read_by_several_splits_is_counted_once(templates, tmp_path, file, at, raw, says):
    root = copy(templates, "parallel_audiobook", tmp_path)
    assert {split_of(s) for s in audiobook_corpus.READERS["emma"]} >= {"train", "test"}  # two shards read emma
    raw = raw.replace(b"{speaker}", a_train_speaker().encode())
    # a line of a file every split's shard of the book reads: counted by each split; a spk2utt line only by its
    # speaker's split (the others pass over it)
    by = {split_of(raw.split()[0].decode())} if file.endswith("spk2utt") else None
    check_bad_line("parallel_audiobook", ParallelAudiobookFormatError, root, file, at, raw, says, by)


def test_parallel_audiobook_a_skipped_text_line_loses_its_utterances(templates, tmp_path):
    root = copy(templates, "parallel_audiobook", tmp_path)
    baseline = read_source("parallel_audiobook", root)
    replace(root / "emma" / "txt.punc", 2, b"chp01_utt002")  # the sentence gone: three readers list it
    Error(ParallelAudiobookFormatError, "emma/txt.punc", 2, "expected '<chpXX_uttXXX> <text>'").check(
        root, lambda: read_source("parallel_audiobook", root)
    )
    lost = {i for i in ids(baseline[0]) if i.startswith("emma_") and i.endswith("_chp01_utt002")}
    assert len(lost) == 2  # msm and aaa (sbe's WAV is absent: now counted as lost with its text, not as missing)
    records, got = read_source("parallel_audiobook", root, "skip")
    assert ids(records) == sorted(set(ids(baseline[0])) - lost)
    count, first = malformed(got)
    per_split = check_each_split("parallel_audiobook", root, "emma/txt.punc:2")
    assert count == sum(per_split.values()) >= 2 and any("txt.punc:2" in item for item in first), got.text()
    dependent = {r: n for r, n in others(got).items() if "txt.punc line was skipped" in r}
    assert sum(dependent.values()) == 3, got.text()


def test_parallel_audiobook_a_skipped_gender_row_loses_its_speakers_utterances(templates, tmp_path):
    root = copy(templates, "parallel_audiobook", tmp_path)
    baseline = read_source("parallel_audiobook", root)
    line = list(audiobook_corpus.READERS["emma"]).index("aaa") + 1
    replace(root / "emma" / "spk2gender", line, b"aaa unknown")
    Error(ParallelAudiobookFormatError, "emma/spk2gender", line, "expected m or f").check(
        root, lambda: read_source("parallel_audiobook", root)
    )
    lost = {i for i in ids(baseline[0]) if i.startswith("emma_aaa_")}
    assert len(lost) == 2
    check_dependent(
        "parallel_audiobook", root, baseline, f"emma/spk2gender:{line}", lost, "spk2gender row was skipped", 1
    )


def test_parallel_audiobook_an_utterance_without_text_is_skipped_alone(templates, tmp_path):
    root = copy(templates, "parallel_audiobook", tmp_path)
    baseline = read_source("parallel_audiobook", root)
    replace(root / "emma" / "spk2utt", 2, b"scr chp01_utt001 chp07_utt001 chp01_utt003")
    Error(ParallelAudiobookFormatError, "emma/spk2utt", 2, "utterance chp07_utt001 of scr has no line in").check(
        root, lambda: read_source("parallel_audiobook", root)
    )
    check_counted_once("parallel_audiobook", root, baseline, "emma/spk2utt:2", by={split_of("scr")})
