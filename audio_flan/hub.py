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

from .export_folder import HIDDEN_PATTERNS, STAGING, TRASH


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


def mirror_patterns(data: dict, prune: bool) -> list[str]:
    """Remote files that the upload deletes unless the folder has them: the pushed configs' Parquet files.

    Configs the folder does not hold are left alone, unless ``prune``: then every remote Parquet file goes.
    """
    if prune:
        return ["*.parquet", "**/*.parquet"]
    return [f"{c['config_name']}/*.parquet" for c in data["configs"]]


_NETWORK_ERRORS = {"TransportError", "NetworkError", "ConnectError", "TimeoutException", "ConnectTimeout", "Timeout"}


def _is_network_error(err: Exception) -> bool:
    """Whether ``err`` means the Hub could not be reached (offline mode, no route, refused, timed out).

    huggingface_hub raises its HTTP client's errors (httpx's, or requests' in older versions) as they are.
    """
    return isinstance(err, (ConnectionError, TimeoutError)) or any(
        c.__name__ in _NETWORK_ERRORS for c in type(err).__mro__
    )


def _unreachable(err: Exception) -> PushError:
    import os

    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "on", "yes", "true"):
        return PushError("cannot push: HF_HUB_OFFLINE is set, so huggingface_hub makes no network call; unset it")
    return PushError(f"cannot reach the Hub ({type(err).__name__}: {err}); check the network connection and try again")


def push(
    folder,
    repo_id: str,
    private: bool = False,
    prune: bool = False,
    api: Optional[HfApi] = None,
    log: Callable[[str], None] = print,
) -> str:
    """Create the dataset repository if needed and upload ``folder`` to it, mirrored (resumable). Returns its URL.

    Remote Parquet files of the pushed configs that the folder does not hold are deleted in the same commit
    as the upload (``upload_folder``'s ``delete_patterns``), so a re-export with fewer files leaves no stale
    file for the ``<split>-*`` patterns to match; other configs' files are kept unless ``prune``.
    """
    data = check_export_folder(folder)
    if repo_id.count("/") != 1 or not all(repo_id.split("/")):
        raise PushError(f"--repo must be ORG/NAME, got {repo_id!r}")
    api = api or HfApi()
    deletes = mirror_patterns(data, prune)
    try:
        url = api.create_repo(repo_id=repo_id, repo_type="dataset", exist_ok=True, private=private)
        log(f"uploading {folder} ({len(data['configs'])} configs) to {url}")
        if large_folder_upload(api):
            # before huggingface_hub 1.20: the resumable upload cannot delete, so stale files go in a second commit
            api.upload_large_folder(  # type: ignore[attr-defined]  # gone from huggingface_hub 2.x
                repo_id=repo_id,
                folder_path=str(folder),
                repo_type="dataset",
                private=private,
                ignore_patterns=HIDDEN_PATTERNS,
            )
            _delete_stale(api, repo_id, Path(folder), deletes, log)
        else:
            api.upload_folder(
                repo_id=repo_id,
                folder_path=str(folder),
                repo_type="dataset",
                commit_message="Upload Audio-FLAN export",
                ignore_patterns=HIDDEN_PATTERNS,
                delete_patterns=deletes,
            )
    except Exception as err:
        if _is_network_error(err):
            raise _unreachable(err) from None
        raise
    return str(url)


def _delete_stale(api, repo_id: str, folder: Path, patterns: list[str], log: Callable[[str], None]) -> None:
    from fnmatch import fnmatch

    from huggingface_hub import CommitOperationDelete

    local = {p.relative_to(folder).as_posix() for p in folder.rglob("*.parquet")}
    stale = [
        f
        for f in api.list_repo_files(repo_id=repo_id, repo_type="dataset")
        if f not in local and any(fnmatch(f, p) for p in patterns)
    ]
    if stale:
        log(f"deleting {len(stale)} remote file(s) the export no longer has")
        api.create_commit(
            repo_id=repo_id,
            repo_type="dataset",
            operations=[CommitOperationDelete(path_in_repo=f) for f in stale],
            commit_message="Delete files the Audio-FLAN export no longer has",
        )


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
