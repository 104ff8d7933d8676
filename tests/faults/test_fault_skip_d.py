"""Bad metadata of the music parsers AAM, CSD, GTZAN and VocalSet, built from the fixture corpora: each malformed
row is an error naming file and line and what was expected by default; under on_error="skip" it is counted once
(however many shards read the file) and every other record is read, while the records that depend on it (the
song of a bad annotation or note row, the clip of a bad GTZAN-Rhythm row, the singers a bad singer-list line may
have named) are left out and counted under their own reason; a header that is not the corpus's, or a file that
breaks as a whole, is an error under every policy."""

from __future__ import annotations

import shutil

import pytest
from corpora import aam as aam_corpus
from corpora import csd as csd_corpus
from corpora import gtzan as gtzan_corpus
from corpora import vocalset as vocalset_corpus
from faults_helpers import Error, check_each_split, ids, malformed, others, read_source
from test_fault_corpora import insert_line

import audio_flan.sources.aam as aam_parser
from audio_flan import report
from audio_flan.sources import get_sources
from audio_flan.sources.aam import AAMFormatError
from audio_flan.sources.csd import CSDFormatError
from audio_flan.sources.gtzan import GTZANFormatError
from audio_flan.sources.vocalset import VocalSetFormatError

BUILDERS = {
    "aam": aam_corpus.build,
    "csd": csd_corpus.build,
    "gtzan": gtzan_corpus.build,
    "vocalset": vocalset_corpus.build,
}


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    base = tmp_path_factory.mktemp("skip_d")
    return {name: build(base / name) for name, build in BUILDERS.items()}


def copy(templates: dict, name: str, tmp_path):
    corpus = templates[name]
    root = tmp_path / corpus.root.name
    shutil.copytree(corpus.root, root, symlinks=True)
    return root


def shards(name, root) -> list:
    return [s for split in get_sources()[name].list_shards(root).values() for s in split]


def replace_line(path, at: int, raw: bytes) -> None:
    lines = path.read_bytes().split(b"\n")
    lines[at - 1] = raw
    path.write_bytes(b"\n".join(lines))


def check_skipped(name, root, baseline, shows: str, lost: set[str], reason: str) -> dict[str, int]:
    """Under on_error="skip": every record but ``lost`` read, one malformed line counted showing ``shows``, and the
    ``lost`` items counted under a reason holding ``reason`` (nothing else beyond what the intact copy counts)."""
    records, got = read_source(name, root, "skip")
    assert ids(records) == sorted(set(ids(baseline[0])) - lost)
    count, first = malformed(got)
    assert count == sum(check_each_split(name, root, shows).values()), got.text()  # once per split reading it
    assert any(shows in item for item in first), got.text()
    dependent = {r: n for r, n in others(got).items() if reason in r}
    rest = {r: n for r, n in others(got).items() if reason not in r}
    assert rest == others(baseline[1]), got.text()
    return dependent


def check_header_is_an_error(name, error, root, file, line, raw, says):
    replace_line(root / file, line, raw)
    for policy in (None, "skip"):
        Error(error, file, line, says).check(root, lambda policy=policy: read_source(name, root, policy))


# ----------------------------------------------------------------------------------------------------- GTZAN

STATS = f"{gtzan_corpus.RHYTHM_DIR}/stats.csv"
TAIL = b",2.10,no,,,,4/4,no,[4 4 4 4]"
#: (case, row inserted as line 3, what the error says, the clip left out under skip); blues.00030 has no row of its own
GTZAN_ROWS = [
    (
        "tempo-word",
        b"blues.00030.wav,A,T,fast" + TAIL,
        "tempo 'fast' is not a number of beats per minute",
        "blues.00030",
    ),
    ("tempo-too-fast", b"blues.00030.wav,A,T,999" + TAIL, "is not a tempo from 20 to 400 BPM", "blues.00030"),
    ("not-a-clip", b"blues.00100.wav,A,T,120" + TAIL, "is not a GTZAN clip (<genre>.000NN.wav)", None),
    ("not-wav", b"blues.00030.au,A,T,120" + TAIL, "is not a GTZAN clip", None),
    ("repeated", b"blues.00029.wav,A,T,120" + TAIL, "blues.00029.wav is listed twice (first at line 2)", "blues.00029"),
    ("too-few-fields", b"blues.00030.wav,A,T", "fields", None),
    ("latin-1", b"blues.00030.wav,A,caf\xe9,120" + TAIL, "not utf-8 text (byte 0xe9", None),
]


@pytest.mark.parametrize("raw,says,lost", [c[1:] for c in GTZAN_ROWS], ids=[c[0] for c in GTZAN_ROWS])
def test_gtzan_a_bad_stats_row(templates, tmp_path, raw, says, lost):
    root = copy(templates, "gtzan", tmp_path)
    assert len(shards("gtzan", root)) > 1  # every shard reads stats.csv
    baseline = read_source("gtzan", root)
    insert_line(root / STATS, 3, raw)
    Error(GTZANFormatError, STATS, 3, says).check(root, lambda: read_source("gtzan", root))
    dependent = check_skipped("gtzan", root, baseline, "stats.csv:3", {lost} if lost else set(), "row of stats.csv")
    assert sum(dependent.values()) == (1 if lost else 0)


def test_gtzan_the_clips_of_other_rows_keep_their_tempo_under_skip(templates, tmp_path):
    root = copy(templates, "gtzan", tmp_path)
    before = {r["id"]: r["tempo"] for r in read_source("gtzan", root)[0]}
    insert_line(root / STATS, 3, b"blues.00030.wav,A,T,fast" + TAIL)
    after = {r["id"]: r["tempo"] for r in read_source("gtzan", root, "skip")[0]}
    assert after == {k: v for k, v in before.items() if k != "blues.00030"}


def test_gtzan_a_stats_header_without_tempo_is_an_error_whatever_the_policy(templates, tmp_path):
    root = copy(templates, "gtzan", tmp_path)
    check_header_is_an_error("gtzan", GTZANFormatError, root, STATS, 1, b"filename,artist,title,bpm", "tempo mean")


# ------------------------------------------------------------------------------------------------------- CSD

NOTES = "korean/csv/kr001b.csv"
CSD_ROWS = [
    ("pitch-name", b"0.170,0.280,E4,x", "pitch 'E4' is not a MIDI number from 0 to 127"),
    ("pitch-high", b"0.170,0.280,128,x", "pitch '128' is not a MIDI number from 0 to 127"),
    ("start-word", b"soon,0.280,64,x", "start/end 'soon', '0.280' are not seconds"),
    ("end-before-start", b"0.280,0.170,64,x", "does not start before it ends"),
    ("no-syllable", b"0.170,0.280,64, ", "the syllable is empty"),
    ("three-fields", b"0.170,0.280,64", "fields"),
    ("latin-1", b"0.170,0.280,64,caf\xe9", "not utf-8 text (byte 0xe9"),
]


@pytest.mark.parametrize("raw,says", [c[1:] for c in CSD_ROWS], ids=[c[0] for c in CSD_ROWS])
def test_csd_a_bad_note_row_loses_its_song(templates, tmp_path, raw, says):
    root = copy(templates, "csd", tmp_path)
    assert len(shards("csd", root)) > 1
    baseline = read_source("csd", root)
    insert_line(root / NOTES, 3, raw)
    Error(CSDFormatError, NOTES, 3, says).check(root, lambda: read_source("csd", root))
    dependent = check_skipped("csd", root, baseline, "kr001b.csv:3", {"kr001b"}, "has a malformed row")
    assert dependent == {"song(s) whose csv/<id>.csv has a malformed row": 1}


def test_csd_two_bad_rows_of_one_song_are_both_counted_and_lose_the_song_once(templates, tmp_path):
    root = copy(templates, "csd", tmp_path)
    baseline = read_source("csd", root)
    insert_line(root / NOTES, 3, b"0.170,0.280,E4,x")
    insert_line(root / NOTES, 5, b"0.300,0.200,64,x")
    records, got = read_source("csd", root, "skip")
    assert ids(records) == sorted(set(ids(baseline[0])) - {"kr001b"})
    count, first = malformed(got)
    assert count == 2 and any("kr001b.csv:5" in item for item in first), got.text()
    assert others(got)["song(s) whose csv/<id>.csv has a malformed row"] == 1


def test_csd_a_note_header_that_is_not_the_corpus_is_an_error_whatever_the_policy(templates, tmp_path):
    root = copy(templates, "csd", tmp_path)
    check_header_is_an_error("csd", CSDFormatError, root, NOTES, 1, b"onset,offset,note,lyric", "lacks")


# ------------------------------------------------------------------------------------------------------- AAM

SEGMENTS = f"{aam_corpus.ANNOTATIONS}/0002_segments.arff"
BEATS = f"{aam_corpus.ANNOTATIONS}/0001_beatinfo.arff"
ONSETS = f"{aam_corpus.ANNOTATIONS}/0003_onsets.arff"


def _data_line(root, file: str) -> int:
    """The line of the file's first data row (a row starting with a time)."""
    lines = (root / file).read_text().split("\n")
    return next(i for i, text in enumerate(lines, 1) if text[:1].isdigit())


#: (case, file, how its first data row is spoiled, what the error says, the song left out)
AAM_ROWS = [
    ("key", SEGMENTS, lambda row: row.replace("'Amin'", "'Hmin'"), "'Hmin' is not a key", "0002"),
    ("instruments", SEGMENTS, lambda row: row.replace("'[Flute", "'Flute"), "are not a [list]", "0002"),
    ("segment-fields", SEGMENTS, lambda row: ",".join(row.split(",")[:3]), "expected 6 fields", "0002"),
    ("chord", BEATS, lambda row: row.rsplit(",", 1)[0] + ",'Hmaj'", "chord 'Hmaj' is not <root>maj", "0001"),
    ("beat-time", BEATS, lambda row: "soon" + row[row.index(",") :], "time 'soon' is not a number", "0001"),
    ("beat-negative", BEATS, lambda row: "-1" + row[row.index(",") :], "time '-1' is negative", "0001"),
    ("onset-pitch", ONSETS, lambda row: row.replace("[]", "[+sixty]", 1), "is not a MIDI pitch", "0003"),
    ("onset-fields", ONSETS, lambda row: row.rsplit(",", 1)[0], "fields (time and one per instrument)", "0003"),
    ("quote", SEGMENTS, lambda row: row.replace("'A'", "'A"), "", "0002"),
]


@pytest.mark.parametrize("file,spoil,says,song", [c[1:] for c in AAM_ROWS], ids=[c[0] for c in AAM_ROWS])
def test_aam_a_bad_annotation_row_loses_its_song(templates, tmp_path, monkeypatch, file, spoil, says, song):
    monkeypatch.setattr(aam_parser, "SONGS_PER_SHARD", 1)  # one shard per song's hash: several shards
    root = copy(templates, "aam", tmp_path)
    assert len(shards("aam", root)) > 1
    baseline = read_source("aam", root)
    at = _data_line(root, file)
    lines = (root / file).read_bytes().split(b"\n")
    replace_line(root / file, at, spoil(lines[at - 1].decode()).encode())
    Error(AAMFormatError, file, at, says).check(root, lambda: read_source("aam", root))
    lost = {r for r in ids(baseline[0]) if r.startswith(f"{song}@")}
    assert lost
    dependent = check_skipped("aam", root, baseline, f"{file.split('/')[1]}:{at}", lost, "annotation files")
    assert sum(dependent.values()) == 1


def test_aam_a_segments_file_without_end_marker_is_an_error_whatever_the_policy(templates, tmp_path):
    root = copy(templates, "aam", tmp_path)
    path = root / SEGMENTS
    path.write_text("\n".join(line for line in path.read_text().split("\n") if ",'end'," not in line))
    for policy in (None, "skip"):
        with pytest.raises(AAMFormatError, match="no sections and end marker"):
            read_source("aam", root, policy)


# -------------------------------------------------------------------------------------------------- VocalSet

TEST_LIST = "test_singers_technique.txt"
VOCALSET_LINES = [
    ("voice-type", b"tenor3", "'tenor3' is not a singer (female1..9, male1..11)"),
    ("two-names-one-bad", b"male3 baritone", "'baritone' is not a singer"),
    ("latin-1", b"m\xe9le3", "not utf-8 text (byte 0xe9"),
]


def _singer(records_ids, folder: str) -> set[str]:
    return {r for r in records_ids if r.startswith(f"{folder}/")}


@pytest.mark.parametrize("raw,says", [c[1:] for c in VOCALSET_LINES], ids=[c[0] for c in VOCALSET_LINES])
def test_vocalset_a_bad_singer_line_loses_the_singers_it_may_name(templates, tmp_path, raw, says):
    root = copy(templates, "vocalset", tmp_path)
    assert len(shards("vocalset", root)) > 1  # every shard reads the singer list
    baseline = read_source("vocalset", root)
    replace_line(root / TEST_LIST, 2, raw)  # male3's line: male3 is now in neither list
    Error(VocalSetFormatError, TEST_LIST, 2, says).check(root, lambda: read_source("vocalset", root))
    lost = _singer(ids(baseline[0]), "male3")
    assert lost
    dependent = check_skipped("vocalset", root, baseline, f"{TEST_LIST}:2", lost, "in neither singer list")
    assert sum(dependent.values()) == 1


def test_vocalset_without_a_train_list_a_bad_line_loses_every_singer_not_known_as_test(templates, tmp_path):
    root = copy(templates, "vocalset", tmp_path)
    baseline = read_source("vocalset", root)
    (root / "train_singers_technique.txt").unlink()
    replace_line(root / TEST_LIST, 2, b"tenor3")
    records, got = read_source("vocalset", root, "skip")
    assert ids(records) == sorted(_singer(ids(baseline[0]), "female2"))
    # every shard of both splits reads the list: each split counts the line, alone or with the other
    assert check_each_split("vocalset", root, f"{TEST_LIST}:2") == {"listing": 0, "train": 1, "test": 1}
    assert malformed(got)[0] == 2
    assert sum(n for r, n in others(got).items() if "in neither singer list" in r) == 3  # female1, male1, male3


def test_vocalset_a_bad_line_never_moves_a_test_singer_into_train(templates, tmp_path):
    root = copy(templates, "vocalset", tmp_path)
    replace_line(root / TEST_LIST, 2, b"tenor3")
    source = get_sources()["vocalset"]
    train = source.list_shards(root)["train"]
    load = report.Load("skip", report.LoadReport("test"))
    read = [r["singer"] for s in train for r in report.scoped(load, source.read_shard(root, s))]
    assert "m3" not in read and "f2" not in read and {"f1", "m1"} <= set(read)


def test_vocalset_bad_lines_in_both_singer_lists_are_each_counted_once(templates, tmp_path):
    root = copy(templates, "vocalset", tmp_path)
    baseline = read_source("vocalset", root)
    replace_line(root / TEST_LIST, 2, b"tenor3")
    replace_line(root / "train_singers_technique.txt", 2, b"bass1")  # male1's line
    records, got = read_source("vocalset", root, "skip")
    kept = _singer(ids(baseline[0]), "female1") | _singer(ids(baseline[0]), "female2")
    assert ids(records) == sorted(kept)
    count, first = malformed(got)
    assert count == 4, got.text()  # two lines, each counted by both splits
    assert any(f"{TEST_LIST}:2" in item for item in first) and any("train_singers_technique.txt:2" in i for i in first)
    assert sum(n for r, n in others(got).items() if "in neither singer list" in r) == 2  # male1, male3
