"""``audio-flan push``: upload an exported folder to the Hub with huggingface_hub's resumable folder upload.

huggingface_hub before 1.20 has ``upload_large_folder`` for this; from 1.20 on, ``upload_folder`` itself
(with hf_xet) commits in batches and resumes when run again, and ``upload_large_folder`` is deprecated, then
gone (2.x). The token is whatever huggingface_hub finds (``hf auth login``, ``HF_TOKEN``); it is never read or
printed here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Optional

from huggingface_hub import HfApi

from .export import STAGING, TRASH


class PushError(ValueError):
    """A folder that is not a finished export."""


def check_export_folder(folder) -> dict:
    """The card's YAML if ``folder`` is a finished export; raises :class:`PushError` saying what is wrong.

    A finished export has a README.md whose YAML lists ``configs`` whose data files all exist, no staging
    folder, and no ``.py`` file anywhere (``datasets`` >= 4 refuses a repository with one).
    """
    from huggingface_hub import DatasetCard

    folder = Path(folder)
    if not folder.is_dir():
        raise PushError(f"{folder} is not a folder")
    readme = folder / "README.md"
    if not readme.is_file():
        raise PushError(f"{folder} has no README.md: not an export (run `audio-flan export {folder}` first)")
    if (folder / STAGING).exists() or (folder / TRASH).exists():
        raise PushError(f"{folder} holds an unfinished export ({STAGING}); run the export again to finish it")
    scripts = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.py"))
    if scripts:
        raise PushError(f"{folder} holds Python files, which datasets >= 4 refuses: {', '.join(scripts[:5])}")
    data = DatasetCard.load(readme).data.to_dict()
    configs = data.get("configs")
    if not configs:
        raise PushError(f"{readme} lists no configs: not an export")
    for config in configs:
        for entry in config.get("data_files") or []:
            if not any(folder.glob(entry["path"])):
                raise PushError(
                    f"{readme}: config {config['config_name']}, split {entry['split']}: no file matches {entry['path']}"
                )
    return data


def push(
    folder, repo_id: str, private: bool = False, api: Optional[HfApi] = None, log: Callable[[str], None] = print
) -> str:
    """Create the dataset repository if needed and upload ``folder`` to it (resumable). Returns its URL."""
    data = check_export_folder(folder)
    if repo_id.count("/") != 1 or not all(repo_id.split("/")):
        raise PushError(f"--repo must be ORG/NAME, got {repo_id!r}")
    api = api or HfApi()
    url = api.create_repo(repo_id=repo_id, repo_type="dataset", exist_ok=True, private=private)
    log(f"uploading {folder} ({len(data['configs'])} configs) to {url}")
    if large_folder_upload(api):
        api.upload_large_folder(  # type: ignore[attr-defined]  # huggingface_hub < 1.20 only
            repo_id=repo_id, folder_path=str(folder), repo_type="dataset", private=private
        )
    else:
        api.upload_folder(
            repo_id=repo_id, folder_path=str(folder), repo_type="dataset", commit_message="Upload Audio-FLAN export"
        )
    return str(url)


def large_folder_upload(api) -> bool:
    """Whether to use ``upload_large_folder`` (older huggingface_hub) rather than the resumable ``upload_folder``."""
    import huggingface_hub

    if not hasattr(api, "upload_large_folder"):
        return False
    try:
        major, minor = (int(x) for x in huggingface_hub.__version__.split(".")[:2])
    except ValueError:
        return True
    return (major, minor) < (1, 20)
