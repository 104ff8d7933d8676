"""Where the export's jobs run: local worker processes, or Ray tasks on a cluster (``audio-flan[ray]``).

An engine maps a module-level function over a list of jobs and yields the results as they finish, in any
order; the export does not depend on the order, so the result is the same bytes on every engine.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from typing import Any, Optional


class LocalEngine:
    """The caller's process (one worker), or a pool of processes: forked on Linux, spawned elsewhere."""

    def __init__(self, num_proc: int):
        self.num_proc = num_proc
        self._pool: Any = None

    def map(self, fn: Callable[[Any], Any], jobs: list) -> Iterator[Any]:
        if self.num_proc == 1 or len(jobs) < 2:
            yield from map(fn, jobs)
            return
        if self._pool is None:
            import multiprocessing

            method = "fork" if sys.platform.startswith("linux") else "spawn"
            self._pool = multiprocessing.get_context(method).Pool(self.num_proc)
        # small chunks keep the workers busy to the end; not one by one, which costs more than a small job
        chunksize = max(1, min(16, len(jobs) // (8 * self.num_proc)))
        try:
            yield from self._pool.imap_unordered(fn, jobs, chunksize=chunksize)
        except BaseException:
            self._pool.terminate()
            self._pool = None
            raise

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None


class RayEngine:
    """Each job a Ray task (one CPU) on the cluster at ``address``; a task whose worker dies is retried by Ray.

    Jobs write to the export themselves: a path every node of the cluster sees, or a URL they all reach.
    """

    MAX_RETRIES = 3

    def __init__(self, address: Optional[str]):
        try:
            import ray
        except ImportError:
            from .export_folder import ExportError

            raise ExportError(
                "--engine ray needs Ray: pip install 'audio-flan[ray]' (on the driver and every node)"
            ) from None
        self.ray = ray
        self._started = not ray.is_initialized()
        if self._started:
            ray.init(address=address, logging_level=logging.WARNING, log_to_driver=False)
        self._remote: dict[Callable, Any] = {}

    def map(self, fn: Callable[[Any], Any], jobs: list) -> Iterator[Any]:
        ray = self.ray
        remote = self._remote.get(fn)
        if remote is None:
            remote = self._remote[fn] = ray.remote(num_cpus=1, max_retries=self.MAX_RETRIES)(fn)
        window = max(8, 2 * int(ray.cluster_resources().get("CPU", 1)))
        pending: list = []
        queue = iter(jobs)
        try:
            while True:
                for job in queue:
                    pending.append(remote.remote(job))
                    if len(pending) >= window:
                        break
                if not pending:
                    return
                done, pending = ray.wait(pending, num_returns=1)
                yield _get(ray, done[0])
        except BaseException:
            for ref in pending:
                ray.cancel(ref, force=True)
            raise

    def close(self) -> None:
        if self._started:
            self.ray.shutdown()


def _get(ray, ref):
    try:
        return ray.get(ref)
    except ray.exceptions.RayTaskError as err:  # the job's own exception, not Ray's wrapper
        cause = getattr(err, "cause", None)
        if isinstance(cause, BaseException):
            raise cause from None
        raise


def make(engine: str, num_proc: int, ray_address: Optional[str]):
    if engine == "ray":
        return RayEngine(ray_address)
    return LocalEngine(num_proc)
