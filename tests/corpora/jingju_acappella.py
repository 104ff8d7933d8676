"""Jingju a cappella singing (Zenodo 1323561) as its files extract side by side: ``catalogue - laosheng.csv`` (no
final newline, as the real file) and ``catalogue - dan.csv`` with their header and quoted legend cells, WAVs in
``wav/{laosheng,dan}/`` (one stereo), ``annotation_txt/`` phrase files (never read) and ``readme.txt``. The legend
is a key: one laosheng row takes its shengqiang from another row's legend cell, one has a prefix no legend
defines; one row's WAV is absent and one WAV is in no catalogue."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .common import Corpus, replace_line, wav_bytes

RATE = 44100  # the corpus notes (and mirdata): WAV 44.1 kHz, mono or stereo
SECONDS = 3.5  # long enough for a 2 s prompt and its 1 s continuation
HEADER = "File name,Work,Phonetically annotated,Details,Legend"
LSEH = "lseh - role-type: lao sheng 老生, shenqiang: er huang 二黄"
LSXP = "lsxp - role-type: lao sheng 老生, shenqiang: xi pi 西皮"
DAEH = "daeh - role-type: dan 旦, shenqiang: er huang 二黄"
DAXP = "daxp - role-type: dan 旦, shenqiang: xi pi 西皮"
#: per role folder, the catalogue rows: (File name, Work, Phonetically annotated, Details, Legend)
ROWS = {
    "laosheng": [
        ("lseh-Tan_Yang_jia-Hong_yang_dong-qm", "“叹杨家投宋主心血用尽”——《洪羊洞》（杨延昭）", "*", "", LSEH),
        ("lsxp-Jiang_shen_er-San_jia_dian-upf", "“将身儿来至在三家店”——《三家店》（秦琼）", "*", "", LSXP),
        ("lseh-Wei_guo_jia-Hong_yang_dong-lon", "“为国家哪何曾”——《洪羊洞》（杨延昭）", "", "", ""),
        ("lsfxp-Yang_si_lang-Si_lang_tan_mu-lon", "“我主爷”——《四郎探母》（杨延辉）", "", "teacher", ""),
        ("lseh-Zhi_yin_wo-Wen_zhao_guan-qm", "“一轮明月照窗前”——《文昭关》（伍员）", "*", "", ""),
    ],
    "dan": [
        ("daeh-Bie_yuan_zhong-Mei_fei-qm", "“别院中起笙歌因风送听”——《梅妃》（江采萍）", "*", "", DAEH),
        ("daxp-Zhe_cai_shi-Suo_lin_nang-upf", "“这才是人生难预料”——《锁麟囊》（薛湘灵）", "", "", DAXP),
    ],
}
#: (role, file name, role type, shengqiang) of every row that yields a record
EXPECTED = [
    ("laosheng", "lseh-Tan_Yang_jia-Hong_yang_dong-qm", "lao sheng 老生", "er huang 二黄"),
    ("laosheng", "lsxp-Jiang_shen_er-San_jia_dian-upf", "lao sheng 老生", "xi pi 西皮"),
    ("laosheng", "lseh-Wei_guo_jia-Hong_yang_dong-lon", "lao sheng 老生", "er huang 二黄"),  # legend of another row
    ("laosheng", "lsfxp-Yang_si_lang-Si_lang_tan_mu-lon", "lao sheng", None),  # no legend defines lsfxp
    ("dan", "daeh-Bie_yuan_zhong-Mei_fei-qm", "dan 旦", "er huang 二黄"),
    ("dan", "daxp-Zhe_cai_shi-Suo_lin_nang-upf", "dan 旦", "xi pi 西皮"),
]
ABSENT = "lseh-Zhi_yin_wo-Wen_zhao_guan-qm"  # listed, its WAV not shipped
UNLISTED = "daspd-Hai_dao_bing-Gui_fei_zui_jiu01-lon"  # a WAV of wav/dan/ in no catalogue row
STEREO = "daeh-Bie_yuan_zhong-Mei_fei-qm"
MALFORMED = 5  # the laosheng catalogue line `malform` spoils (the lsfxp row)


def csv_cell(text: str) -> str:
    return f'"{text}"' if "," in text or '"' in text else text


def sung(freq: float, seconds: float = SECONDS, rate: int = RATE, channels: int = 1) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    x = (0.3 * np.sin(2 * np.pi * freq * t) * (1 + 0.2 * np.sin(2 * np.pi * 5 * t))).astype(np.float32)
    return x if channels == 1 else np.stack([x, 0.8 * x], axis=1)


def write_catalogue(root: Path, role: str, rows: list[tuple[str, str, str, str, str]], final_newline: bool) -> None:
    lines = [HEADER] + [",".join(csv_cell(c) for c in row) for row in rows]
    text = "\n".join(lines) + ("\n" if final_newline else "")
    root.mkdir(parents=True, exist_ok=True)
    (root / f"catalogue - {role}.csv").write_text(text, encoding="utf-8")


def write_wav(root: Path, role: str, name: str, x: np.ndarray, rate: int = RATE) -> Path:
    folder = root / "wav" / role
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.wav"
    path.write_bytes(wav_bytes(x, rate))
    return path


def write_phrases(root: Path, role: str, name: str, phrases: list[tuple[float, float, str]]) -> None:
    folder = root / "annotation_txt" / role
    folder.mkdir(parents=True, exist_ok=True)
    text = "".join(f"{s}\t{e}\t{label}\n" for s, e, label in phrases)
    (folder / f"{name}_phrase.txt").write_text(text, encoding="utf-8")


def build(base: Path) -> Corpus:
    root = base / "jingju_a_cappella"
    for role, rows in ROWS.items():
        write_catalogue(root, role, rows, final_newline=role == "dan")
        for k, (name, *_) in enumerate(rows):
            if name != ABSENT:
                write_wav(root, role, name, sung(220.0 + 30 * k, channels=2 if name == STEREO else 1))
                write_phrases(root, role, name, [(0.0, 0.4, "sil"), (0.4, 3.2, "huang")])
    write_wav(root, "dan", UNLISTED, sung(300.0, 0.5))
    (root / "readme.txt").write_text("Jingju a cappella singing dataset\n", encoding="utf-8")
    works = {name: work for rows in ROWS.values() for name, work, *_ in rows}
    expected = {}
    for role, name, role_type, shengqiang in EXPECTED:
        shengqiang_words = f" in {shengqiang} shengqiang" if shengqiang else ""
        expected[name] = {
            "audio": str(root / "wav" / role / f"{name}.wav"),
            "description": f"An a cappella jingju (Beijing opera) aria of the {role_type} role type"
            f"{shengqiang_words}: {works[name]}.",
            "role_type": role_type,
            "shengqiang": shengqiang,
            "work": works[name],
            "language": "zh",
            "split": "train",
        }
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    """The lsfxp row of the laosheng catalogue loses its last three fields."""
    path = corpus.root / "catalogue - laosheng.csv"
    replace_line(path, MALFORMED, "lsfxp-Yang_si_lang-Si_lang_tan_mu-lon,“我主爷”——《四郎探母》（杨延辉）")
    return path, MALFORMED


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    name = "daxp-Zhe_cai_shi-Suo_lin_nang-upf"
    Path(corpus.expected[name]["audio"]).unlink()
    return "train", name
