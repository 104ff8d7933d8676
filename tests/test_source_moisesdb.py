"""MoisesDB on a copy in its published layout: the mixture is the sum of every source file, the target the sum of
one stem's files, so mixture - target is exactly the other stems; silent stems are not targets; stems are
named for people; pairs are the same in every process and in an export."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf
from corpora import moisesdb as fixture
from util import audio_opened, record_opens, stream

from audio_flan.sources import moisesdb as parser

CONFIG = "music.text_guided_source_separation"
TRACK = "0a4f1d2e-6b7c-4d8e-9f00-112233445566"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return fixture.build(tmp_path_factory.mktemp("moisesdb") / "data")


@pytest.fixture(scope="module")
def train(corpus):
    return stream(CONFIG, corpus.data_dir, source="moisesdb")


def meta(example) -> dict:
    return json.loads(example["metadata"])


def source_audio(corpus, stem: str, offset: float, duration: float) -> np.ndarray:
    folder = corpus.root / fixture.PROVIDER / TRACK / stem
    total = 0.0
    for path in sorted(folder.glob("*.wav")):
        data, rate = sf.read(path, dtype="float32")
        total = total + data[round(offset * rate) : round((offset + duration) * rate)].mean(axis=1)
    return total


def test_targets_are_the_sounding_stems_by_display_name(corpus, train):
    assert {meta(e)["id"] for e in train} == corpus.ids("train")
    for e in train:
        values = corpus.expected[meta(e)["id"]]
        assert meta(e)["stem"] == values["stem"] and values["stem"] in e["input"]
        assert (meta(e)["excerpt"]["offset"], meta(e)["excerpt"]["duration"]) == values["excerpt"]
    # the violins stop at 9 s: no bowed strings in the second excerpt; excerpts end with the shortest file
    assert f"{TRACK}/10/bowed_strings" not in {meta(e)["id"] for e in train}
    assert {meta(e)["excerpt"]["duration"] for e in train} == {10.0, 1.5}


def test_mixture_minus_target_is_the_other_stems(corpus, train):
    by_excerpt: dict[float, list] = {}
    for e in train:
        by_excerpt.setdefault(meta(e)["excerpt"]["offset"], []).append(e)
    for offset, examples in by_excerpt.items():
        duration = meta(examples[0])["excerpt"]["duration"]
        mixture = examples[0]["input_audios"][0]["array"]
        for e in examples:
            np.testing.assert_array_equal(e["input_audios"][0]["array"], mixture)  # one mixture per excerpt
            stem = meta(e)["id"].rsplit("/", 1)[1]
            target = e["output_audios"][0]["array"]
            np.testing.assert_allclose(target, source_audio(corpus, stem, offset, duration), atol=1e-6)
            others = sum(source_audio(corpus, s, offset, duration) for s in fixture.tracks()[0]["stems"] if s != stem)
            np.testing.assert_allclose(mixture - target, others, atol=1e-6)


def test_a_stem_silent_throughout_is_never_a_target(corpus):
    test = stream(CONFIG, corpus.data_dir, split="test", source="moisesdb")
    assert [meta(e)["stem"] for e in test] == ["vocals"]
    assert meta(test[0])["track_types"] == ["lead male singer"]


_DIGEST = """
import hashlib, sys
sys.path.insert(0, sys.argv[2])
from util import audio_opened, record_opens, stream
digest = hashlib.sha256()
for e in stream("music.text_guided_source_separation", sys.argv[1], source="moisesdb"):
    digest.update(repr({k: e[k] for k in ("id", "instruction", "input", "output", "metadata")}).encode())
    for column in ("input_audios", "output_audios"):
        digest.update(e[column][0]["array"].tobytes())
print(digest.hexdigest())
"""


def test_pairs_are_identical_across_processes_and_hash_seeds(corpus):
    tests = os.path.dirname(__file__)
    digests = {
        subprocess.run(
            [sys.executable, "-c", _DIGEST, str(corpus.data_dir), tests],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("0", "4242")
    }
    assert len(digests) == 1 and len(next(iter(digests))) == 64


def test_a_bad_source_entry_names_file_and_line(tmp_path):
    corpus = fixture.build(tmp_path / "data")
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.MoisesDBFormatError, match=f"{path}:{line}: a track of stem 'other_keys' needs"):
        list(parser.read_shard(corpus.root, "5e6f7a8b-1111-4222-8333-444455556666"))


_READ_BACK = """
import sys
sys.path[:0] = [p for p in sys.argv[1].split(":") if p]
try:
    import audio_flan  # noqa: F401
except ImportError:
    pass
else:
    raise SystemExit("audio_flan is importable here; the test would prove nothing")
import glob, io, json
import numpy as np, pyarrow.parquet as pq, soundfile as sf
out = {}
for name in sorted(glob.glob(sys.argv[2] + "/*.parquet")):
    for row in pq.read_table(name).to_pylist():
        arrays = [sf.read(io.BytesIO(row[c][0]["bytes"]), dtype="float32")[0] for c in ("input_audios", "output_audios")]
        out[row["id"]] = [a.tolist() for a in arrays]
print(json.dumps(out))
"""


def test_an_export_reads_back_with_the_same_samples(corpus, train, tmp_path):
    from export_helpers import site_packages

    from audio_flan.export import export

    export(
        tmp_path / "out",
        configs=[CONFIG],
        data_dir=corpus.data_dir,
        include_restricted=True,
        progress=False,
        log=lambda *_: None,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    proc = subprocess.run(
        [sys.executable, "-S", "-c", _READ_BACK, site_packages(), str(tmp_path / "out" / CONFIG)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    back = json.loads(proc.stdout)
    streamed = {e["id"]: e for e in train}
    assert streamed.keys() <= back.keys()
    for rid, example in streamed.items():
        for k, column in enumerate(("input_audios", "output_audios")):
            np.testing.assert_allclose(back[rid][k], example[column][0]["array"], atol=2.0**-14)


def test_under_skip_a_malformed_data_json_is_counted_and_the_rest_read(tmp_path):
    from audio_flan.report import Load, LoadReport, active

    corpus = fixture.build(tmp_path / "data")
    path, line = fixture.malform(corpus)
    load = Load("skip", LoadReport("moisesdb"))
    with active(load):
        assert list(parser.read_shard(corpus.root, "5e6f7a8b-1111-4222-8333-444455556666")) == []
    assert load.report.total == 1 and f"{path}:{line}" in load.report.text()
    examples = stream(CONFIG, corpus.data_dir, source="moisesdb", on_error="skip")
    assert {meta(e)["id"] for e in examples} == corpus.ids("train")


def test_a_second_read_opens_no_source_file_before_its_first_record(tmp_path, monkeypatch):
    copy = fixture.build(tmp_path / "data")
    sources = {str(p) for p in (copy.root / fixture.PROVIDER / TRACK).glob("*/*.wav")}
    first = next(iter(parser.read_shard(copy.root, TRACK)))  # the first read scans the track once
    opened = record_opens(monkeypatch)
    again = next(iter(parser.read_shard(copy.root, TRACK)))
    assert again == first and sources
    assert not set(audio_opened(opened)) & sources  # the silence check came from the datasets cache


def test_a_long_first_read_of_a_track_shows_a_progress_bar(corpus, monkeypatch, capsys):
    from audio_flan.sources import _stems

    folder = corpus.root / fixture.PROVIDER / TRACK
    files = sorted(str(p) for p in folder.rglob("*.wav"))
    monkeypatch.setattr(_stems, "SCAN_BAR_DELAY", 0.0)  # as if the read took long: the bar shows at once
    _stems.scan(files, [[0]])
    assert f"reading {folder} once (stem levels" in capsys.readouterr().err
    monkeypatch.setattr(_stems, "SCAN_BAR_DELAY", 60.0)  # a quick read shows nothing
    _stems.scan(files, [[0]])
    assert "reading" not in capsys.readouterr().err
