"""The Parallel Audiobook Corpus's segmented data, as the parser's docstring decides its line formats: book folders
with ``wav/<speaker>/chpXX_uttXXX.wav`` (22,050 Hz), ``txt.punc``, ``txt.clean``, ``spk2gender``, ``spk2utt``,
``utt2spk`` and ``spk2dur`` (Kaldi-style), with the corpus's quirks: utterances missing for a speaker (the
alignment failed: not listed), a speaker reading two books, a ``various`` entry, an utterance id written with
its speaker, and a listed utterance whose WAV is absent. ``msm`` reads both books; ``acr`` falls in validation
and ``aaa`` in test by the parser's speaker hash."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .common import Corpus, replace_line, signal, wav_bytes

RATE = 22050
TOP = "parallel_audiobook"
TEXTS = {
    "emma": {
        "chp01_utt001": ("Emma Woodhouse, handsome, clever, and rich.", "emma woodhouse handsome clever and rich"),
        "chp01_utt002": ("She was the youngest of two daughters.", "she was the youngest of two daughters"),
        "chp01_utt003": ("Sorrow came; a gentle sorrow.", "sorrow came a gentle sorrow"),
    },
    "huck": {
        "chp01_utt001": ("You don't know about me, I reckon.", "you don't know about me i reckon"),
        "chp01_utt002": ("That book was made by Mr. Mark Twain.", "that book was made by mister mark twain"),
    },
}
# book -> speaker -> (gender, utterances read)
READERS = {
    "emma": {
        "msm": ("f", ["chp01_utt001", "chp01_utt002", "chp01_utt003"]),
        "scr": ("f", ["chp01_utt001", "chp01_utt003"]),
        "sbe": ("m", ["chp01_utt001", "chp01_utt002", "chp01_utt003"]),
        "aaa": ("m", ["chp01_utt001", "chp01_utt002"]),
    },
    "huck": {
        "msm": ("f", ["chp01_utt001", "chp01_utt002"]),
        "acr": ("m", ["chp01_utt001", "chp01_utt002"]),
        "jgr": ("m", ["chp01_utt002"]),
    },
}
WITH_SPEAKER = ("huck", "jgr")  # this speaker's spk2utt line writes '<speaker>_chpXX_uttXXX'
ABSENT = ("emma", "sbe", "chp01_utt002")  # listed in spk2utt, no WAV


def write_book(
    folder: Path, texts, readers, audio: Callable[[str, str], bytes], absent=(), with_speaker=(), various=True
) -> None:
    """One book folder; ``audio(speaker, text)`` gives each WAV's bytes; ``various``: a spk2utt entry for the
    multi-reader recording."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "txt.punc").write_text("".join(f"{u} {p}\n" for u, (p, _) in texts.items()), encoding="utf-8")
    (folder / "txt.clean").write_text("".join(f"{u} {c}\n" for u, (_, c) in texts.items()), encoding="utf-8")
    (folder / "spk2gender").write_text("".join(f"{s} {g}\n" for s, (g, _) in readers.items()), encoding="utf-8")
    spk2utt = []
    for speaker, (_, utts) in readers.items():
        shown = [f"{speaker}_{u}" if speaker in with_speaker else u for u in utts]
        spk2utt.append(f"{speaker} {' '.join(shown)}")
        for utt in utts:
            if (speaker, utt) in absent:
                continue
            wav = folder / "wav" / speaker / f"{utt}.wav"
            wav.parent.mkdir(parents=True, exist_ok=True)
            wav.write_bytes(audio(speaker, texts[utt][0]))
    if various:
        spk2utt.append("various chp01_utt001")
    (folder / "spk2utt").write_text("\n".join(spk2utt) + "\n", encoding="utf-8")
    utt2spk = {u: [s for s, (_, us) in readers.items() if u in us] for u in texts}
    (folder / "utt2spk").write_text("".join(f"{u} {' '.join(s)}\n" for u, s in utt2spk.items()), encoding="utf-8")
    (folder / "spk2dur").write_text("".join(f"{s} 0.01\n" for s in readers), encoding="utf-8")


def build(base: Path, audio: Callable[[str, str], bytes] | None = None) -> Corpus:
    from audio_flan.sources.parallel_audiobook import split_of  # the split rule is the parser's documented one

    root = base / TOP
    counter = iter(range(1000))
    make = audio or (lambda _s, _t: wav_bytes(signal(RATE, 0.03, 0.0, next(counter)), RATE))
    expected = {}
    for book, readers in READERS.items():
        absent = {(s, u) for b, s, u in [ABSENT] if b == book}
        with_speaker = {s for b, s in [WITH_SPEAKER] if b == book}
        write_book(root / book, TEXTS[book], readers, make, absent, with_speaker)
        for speaker, (gender, utts) in readers.items():
            for utt in utts:
                if (speaker, utt) in absent:
                    continue
                expected[f"{book}_{speaker}_{utt}"] = {
                    "split": split_of(speaker),
                    "text": TEXTS[book][utt][0],
                    "text_clean": TEXTS[book][utt][1],
                    "gender": {"f": "female", "m": "male"}[gender],
                    "audio": str(root / book / "wav" / speaker / f"{utt}.wav"),
                }
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "emma" / "txt.punc"
    replace_line(path, 2, "chp01_utt002")
    return path, 2


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    rid = "emma_scr_chp01_utt003"
    Path(corpus.expected[rid]["audio"]).unlink()
    return corpus.expected[rid]["split"], rid
