"""MagicData-RAMC on a copy in the documented layout: segments as regions of their dialog's WAV, fillers and
in-line tags kept, system prompts and tag-only segments passed over, the corpus's partition, and the
spontaneous TTS config it feeds."""

from __future__ import annotations

import json

import pytest
from corpora import magicdata_ramc as fixture
from util import corpus_fixture, records_by_id, stream

from audio_flan.audio_values import Region
from audio_flan.features import decode_audio
from audio_flan.sources import magicdata_ramc as parser

corpus = corpus_fixture(fixture.build)


def records(root):
    return records_by_id(parser, root, split_in_record=True, warning=Warning)


def test_segments_texts_labels_and_splits(corpus):
    got, reports = records(corpus.root)
    assert set(got) == set(corpus.expected)
    for rid, want in corpus.expected.items():
        assert {k: got[rid][k] for k in want} == want, rid
    seg = got[fixture.segment_id("G00000015", "CTS-CN-F2F-2019-11-15-188", 1.6, 2.4)]
    assert seg["text"] == "看了看了，呃[+]挺好看的"  # fillers and in-line tags stay
    assert isinstance(seg["audio"], Region) and (seg["audio"].offset, seg["audio"].duration) == (1.6, 0.8)
    assert seg["audio"].path.endswith("WAV/CTS-CN-F2F-2019-11-15-188.wav")
    assert (seg["language"], seg["device"]) == ("zh", "Mobile phone")
    assert any("1 segment(s) whose end is not after its start" in r for r in reports)


def test_without_data_partition_dialogs_split_by_a_stable_hash(corpus):
    for name in ("train.tsv", "dev.tsv", "test.tsv"):
        (corpus.root / "DataPartition" / name).unlink()
    listing = parser.list_shards(corpus.root)
    dialogs = {d: split for split, shards in listing.items() for shard in shards for d in shard[1:]}
    assert set(dialogs) == set(fixture.DIALOGS)
    assert listing == parser.list_shards(corpus.root)


def test_a_line_without_four_fields_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.MagicDataRAMCFormatError, match=f"{path}:{line}: expected '\\[<start>,<end>\\]"):
        records(corpus.root)


def test_spontaneous_tts_renders_only_the_segment(corpus):
    examples = stream("speech.spontaneous_tts", corpus.data_dir, source="magicdata_ramc")
    ids = {json.loads(e["metadata"])["id"] for e in examples}
    assert ids == {k for k, v in corpus.expected.items() if v["split"] == "train"}
    first = next(e for e in examples if "新海诚" in e["input"])
    audio = first["output_audios"][0]
    audio = audio if "array" in audio else decode_audio(audio)
    assert audio["sampling_rate"] == 16000 and len(audio["array"]) == round(0.7 * 16000)
