"""The on-disk index of scp files: lookups instead of scans, the first of repeated ids, malformed lines named, a
changed file indexed again, the index mapped from the cache rather than held per id."""

from __future__ import annotations

import pytest
from corpora.release import Release, record
from util import stream

from audio_flan.sources import _scp_index as scp_index
from audio_flan.sources._release_format import ReleaseFormatError
from audio_flan.sources._scp_index import DuplicateAudioIdWarning, ScpFile

LIB = "13_LibriTTS-R"


def _scp(tmp_path, lines: list[str]) -> str:
    path = tmp_path / f"{LIB}.scp"
    path.write_text("".join(l + "\n" for l in lines), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("fence", [512, 3])
def test_every_id_is_found_by_lookup_and_unknown_ids_are_not(tmp_path, monkeypatch, fence):
    monkeypatch.setattr(scp_index, "FENCE", fence)
    ids = [f"{LIB}_{i}_女声#{i % 7}-x" for i in range(5000)]
    path = _scp(tmp_path, [f"{a} audio_files/speech/{LIB}/{i}.wav" for i, a in enumerate(ids)])
    scp = ScpFile(path)
    for i in range(5000):
        assert scp.find(ids[i]) == (i + 1, f"audio_files/speech/{LIB}/{i}.wav")
    assert scp.find("nope", ids[7]) == (8, f"audio_files/speech/{LIB}/7.wav")  # the first of the ids listed
    assert scp.find("nope") is None
    # a second reader reads the stored index instead of building it: in memory only its fence (every 512th hash)
    again = ScpFile(path)
    assert again.find(ids[3]) == (4, f"audio_files/speech/{LIB}/3.wav")
    assert isinstance(again._table, scp_index._Stored) and len(again._table.fence) == -(-5000 // fence)


def test_repeated_ids_first_line_wins_and_are_reported_once_with_a_count(tmp_path, monkeypatch):
    monkeypatch.setattr(scp_index, "FENCE", 2)  # runs of equal hashes cross the stretches a lookup reads
    lines = [f"{LIB}_a first.wav", f"{LIB}_b b.wav", f"{LIB}_a second.wav", f"{LIB}_b again.wav", f"{LIB}_a third.wav"]
    path = _scp(tmp_path, lines)
    with pytest.warns(
        DuplicateAudioIdWarning, match=r"3 audio ids are listed more than once \(first repeat at line 3\)"
    ):
        assert ScpFile(path).find(f"{LIB}_a") == (1, "first.wav")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ScpFile(path).find(f"{LIB}_b") == (2, "b.wav")  # stored: not reported again


def test_a_malformed_line_is_named_when_an_id_is_not_found(tmp_path):
    path = _scp(tmp_path, [f"{LIB}_{i} {i}.wav" for i in range(300)] + ["a-line-without-a-path", f"{LIB}_z z.wav"])
    scp = ScpFile(path)
    assert scp.find(f"{LIB}_z") == (302, "z.wav")
    with pytest.raises(ReleaseFormatError, match=r"\.scp:301: expected '<audio id> <relative path>'"):
        scp.find(f"{LIB}_absent")


def test_a_changed_scp_is_indexed_again(tmp_path):
    rel = Release(tmp_path)
    a = rel.audio("speech", LIB, "a")
    rel.jsonl("speech", LIB, [record("a", "ASR", inp=f"audio: <|SOA|>{a}<|EOA|>")])
    assert len(stream("speech.asr", tmp_path)) == 1
    b = rel.audio("speech", LIB, "b")  # appends to the scp: a new size and mtime
    rel.jsonl("speech", LIB, [record("b", "ASR", inp=f"audio: <|SOA|>{b}<|EOA|>")])
    from audio_flan.sources import release

    release._scp.cache_clear()
    examples = stream("speech.asr", tmp_path)
    assert [e["input_audios"][0]["path"].rsplit("/", 1)[1] for e in examples] == ["a.wav", "b.wav"]
    stored = sorted(
        p.name
        for p in (
            scp_index.index_file(
                str(tmp_path / "scp_files/speech" / f"{LIB}.scp"), (tmp_path / "scp_files/speech" / f"{LIB}.scp").stat()
            ).parent
        ).glob("*.npy")
    )
    assert len(stored) >= 2  # one per version of the file


def test_crlf_bom_and_a_last_line_without_newline(tmp_path):
    path = tmp_path / f"{LIB}.scp"
    path.write_bytes(b"\xef\xbb\xbf" + f"{LIB}_a a.wav\r\n\r\n{LIB}_b  b c.wav\r\n{LIB}_c c.wav".encode())
    scp = ScpFile(str(path))
    assert scp.find(f"{LIB}_a") == (1, "a.wav")
    assert scp.find(f"{LIB}_b") == (3, "b c.wav")
    assert scp.find(f"{LIB}_c") == (4, "c.wav")


def test_without_a_writable_cache_the_index_is_kept_in_memory(tmp_path, monkeypatch):
    monkeypatch.setattr(scp_index, "index_file", lambda path, st: None)
    path = _scp(tmp_path, [f"{LIB}_{i} {i}.wav" for i in range(100)])
    scp = ScpFile(path)
    assert scp.find(f"{LIB}_42") == (43, "42.wav") and scp.find(f"{LIB}_x") is None
    assert isinstance(scp._table, scp_index._InMemory)


def _build_and_look_up(args: tuple[str, list[str]]) -> list:
    path, ids = args
    scp_index.build(path, progress=False)  # every process writes the same index, as Ray and DataLoader workers do
    return [ScpFile(path).find(a) for a in ids]


def test_processes_building_the_same_index_at_once_never_read_a_half_written_one(tmp_path):
    import multiprocessing

    ids = [f"{LIB}_{i}" for i in range(20000)]
    path = _scp(tmp_path, [f"{a} {i}.wav" for i, a in enumerate(ids)])
    probe = ids[::997]
    want = [(i * 997 + 1, f"{i * 997}.wav") for i in range(len(probe))]
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.map(_build_and_look_up, [(path, probe)] * 24)
    assert all(r == want for r in results)
