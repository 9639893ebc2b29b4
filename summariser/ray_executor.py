"""Briefs computed on a Ray cluster: one model per worker, documents streamed to whichever worker is free.

Only the compute step of a batch runs on the cluster (`batch.Executor`): the driver still plans
(resume, names, what to skip), writes every brief atomically into `--out` and keeps the run log, so
a run on Ray has the same guarantees, files and summary line as a run in one process.

Ray actors rather than Ray Data: each worker is an actor that loads the model once (`BriefWorker`);
the driver hands one document at a time to a free worker and gets the brief back as soon as it is
done. That keeps what Ray Data would add out of the way (Arrow blocks, a pyarrow/pandas dependency,
its own retry of whole batches) and gives what a batch needs: documents are planned lazily by the
driver from a local folder, results stream back in any order to be written and logged at once, a
failing document is an error record (not a failed task), and a worker that dies costs exactly the
document it held, which goes to another worker (up to `max_attempts` times) while Ray restarts it.

`import ray` happens only here, and this module is imported only when `--ray` is given.
"""

from __future__ import annotations

import logging
import os
import re
import socket
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from . import errors
from .batch import Job, Result, attempt, load_summariser
from .config import Settings
from .errors import ConfigError, SummariserError
from .load import Document

CONNECT_TIMEOUT_S = 5.0
READY_TIMEOUT_S = 900.0  # loading a large model on a busy node takes a while
RAY_INSTALL = "pip install 'ray>=2.60,<3' (the project's `ray` extra)"


class BriefWorker:
    """A Ray actor: loads the model once, then briefs documents one at a time."""

    def __init__(self, settings_json: str) -> None:
        self.fatal: tuple[str, str] | None = None
        self.summariser: Any = None
        try:
            self.summariser = load_summariser(Settings.model_validate_json(settings_json))
        except SummariserError as exc:  # reported by `ready`, so the driver stops with the same message
            self.fatal = (exc.__class__.__name__, str(exc))

    def ready(self) -> tuple[str | None, str | None, int]:
        """(error class, message, pid): the model is loaded when both are None."""
        return (*(self.fatal or (None, None)), os.getpid())

    def brief(self, docs: list[Document]) -> tuple[str, Any, Any, float]:
        """("ok", brief or None, error or None, seconds), or ("fatal", class, message, 0) for a run-stopping error."""
        if self.fatal:
            return ("fatal", *self.fatal, 0.0)
        try:
            brief, error, seconds = attempt(self.summariser.brief, docs)
        except SummariserError as exc:
            return ("fatal", exc.__class__.__name__, str(exc), 0.0)
        return ("ok", brief, error, seconds)


def _fatal(name: str, message: str) -> SummariserError:
    cls = getattr(errors, name, SummariserError)
    return cls(message) if isinstance(cls, type) and issubclass(cls, SummariserError) else SummariserError(message)


def _host_port(address: str) -> tuple[str, int] | None:
    """Host and port of 'HOST:PORT' or 'ray://HOST:PORT' (None for 'auto')."""
    match = re.fullmatch(r"(?:ray://)?\[?([^\]/]+?)\]?:(\d{1,5})/?", address)
    return (match.group(1), int(match.group(2))) if match else None


class RayExecutor:
    """Computes briefs on Ray workers; use `start()`, then `run(jobs)`, then `close()`."""

    def __init__(self, settings: Settings, address: str | None = "local", workers: int | None = None,
                 cpus_per_worker: int = 1, max_attempts: int = 3) -> None:
        self.settings = settings
        self.address = address or "local"
        self.requested = workers
        self.cpus = cpus_per_worker
        self.max_attempts = max_attempts
        self.actors: list[Any] = []
        self.pids: dict[int, int] = {}  # actor index -> worker process id
        self._started_ray = False
        self._ray: Any = None

    # -- connecting -----------------------------------------------------------------------------
    def _import(self) -> Any:
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no network at run time
        try:
            import ray
        except ImportError:
            raise ConfigError(f"--ray needs Ray, which is not installed: {RAY_INSTALL}") from None
        return ray

    def _connect(self, ray: Any) -> None:
        if ray.is_initialized():  # a caller (a test, a notebook) already joined a cluster
            return
        quiet = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.ERROR}
        if self.address == "local":
            ray.init(address="local", num_cpus=os.cpu_count() or 1, **quiet)
            self._started_ray = True
            return
        target = _host_port(self.address)
        if target is None and self.address != "auto":
            raise ConfigError(f"--ray {self.address!r} is not a cluster address (HOST:PORT, ray://HOST:PORT or auto)")
        if target is not None:  # fail in seconds, not after Ray's own minutes of retries
            try:
                socket.create_connection(target, timeout=CONNECT_TIMEOUT_S).close()
            except OSError as exc:
                raise ConfigError(f"cannot reach the Ray cluster at {self.address} ({exc.strerror or exc}); start one "
                                  "with `ray start --head`, or give --ray without an address for a local "
                                  "instance") from None
        try:
            ray.init(address=self.address, **quiet)
        except (ConnectionError, RuntimeError, ValueError, TimeoutError) as exc:
            raise ConfigError(f"cannot join the Ray cluster at {self.address}: {exc}") from None
        self._started_ray = True  # we joined: disconnect on close (the cluster itself keeps running)

    def start(self) -> None:
        """Join or start the cluster, start the workers and wait until each has loaded the model."""
        ray = self._ray = self._import()
        self._connect(ray)
        cpus = int(ray.cluster_resources().get("CPU", 1))
        count = self.requested or max(1, cpus // self.cpus)
        worker_settings = self.settings.model_copy(
            update={"model": self.settings.model.model_copy(update={"threads": self.cpus})})
        remote = ray.remote(num_cpus=self.cpus, max_restarts=4, max_task_retries=0)(BriefWorker)
        self.actors = [remote.remote(worker_settings.model_dump_json()) for _ in range(count)]
        refs = [actor.ready.remote() for actor in self.actors]
        ready, waiting = ray.wait(refs, num_returns=len(refs), timeout=READY_TIMEOUT_S)
        if waiting:
            self.close()
            raise ConfigError(f"{len(waiting)} of {count} Ray workers did not start within {READY_TIMEOUT_S:.0f} s "
                              f"(the cluster has {cpus} CPUs; each worker asks for {self.cpus})")
        for index, ref in enumerate(refs):
            name, message, pid = ray.get(ref)
            if name:
                self.close()
                raise _fatal(name, message)
            self.pids[index] = pid

    def describe(self) -> str:
        """One line for the user: where the briefs are computed."""
        ray = self._ray
        nodes = len([n for n in ray.nodes() if n.get("Alive")]) if ray else 0
        where = "a local Ray instance" if self.address == "local" else f"the cluster at {self.address}"
        return (f"{len(self.actors)} workers x {self.cpus} CPU on {where} ({nodes} node{'s' if nodes != 1 else ''}), "
                "model loaded once per worker")

    def worker_pids(self) -> list[int]:
        """Process ids of the workers (as last reported; a restarted worker has a new one)."""
        return [self.pids[i] for i in sorted(self.pids)]

    # -- running --------------------------------------------------------------------------------
    def run(self, jobs: Iterable[Job]) -> Iterator[Result]:
        """Results as they complete; a job whose worker died is retried on a worker that is alive."""
        ray = self._ray
        if ray is None:
            self.start()
            ray = self._ray
        from ray.exceptions import GetTimeoutError, RayActorError, RayTaskError

        free: deque[int] = deque(range(len(self.actors)))
        retry: deque[tuple[Job, int]] = deque()
        inflight: dict[Any, tuple[str, int, Job | None, int]] = {}  # ref -> (kind, actor, job, attempt)
        job: Job | None
        source = iter(jobs)
        exhausted = False
        while True:
            while free and (retry or not exhausted):
                if retry:
                    job, tries = retry.popleft()
                else:
                    job = next(source, None)
                    if job is None:
                        exhausted = True
                        break
                    tries = 1
                index = free.popleft()
                inflight[self.actors[index].brief.remote(job.docs)] = ("brief", index, job, tries)
            if not inflight:
                if retry or not exhausted:  # work left and no worker alive
                    raise SummariserError("every Ray worker died; re-run the same command to finish the rest")
                return
            [ref], _ = ray.wait(list(inflight), num_returns=1)
            kind, index, job, tries = inflight.pop(ref)
            try:
                value = ray.get(ref)
            except RayActorError:  # the worker process died (killed, out of memory, node lost)
                if kind == "brief":
                    if tries < self.max_attempts:
                        retry.append((job, tries + 1))  # type: ignore[arg-type]
                    else:
                        yield Result(job, None, f"the Ray worker briefing this document died {tries} times "  # type: ignore[arg-type]
                                     "(killed, or out of memory)", 0.0)
                    # Ray restarts the worker (and it reloads the model); the probe is retried until it is back,
                    # and fails only if the worker is gone for good.
                    probe = self.actors[index].ready.options(max_task_retries=-1).remote()
                    inflight[probe] = ("ready", index, None, 0)
                # a worker whose restart failed is not put back: it will not come back
                continue
            except (RayTaskError, GetTimeoutError) as exc:
                if kind == "brief":
                    yield Result(job, None, f"internal error on the Ray worker: {exc.__class__.__name__}", 0.0)  # type: ignore[arg-type]
                free.append(index)
                continue
            if kind == "ready":
                name, message, pid = value
                if name:
                    raise _fatal(name, message)
                self.pids[index] = pid
                free.append(index)
                continue
            free.append(index)
            status, first, second, seconds = value
            if status == "fatal":
                raise _fatal(first, second)
            yield Result(job, first, second, seconds)  # type: ignore[arg-type]

    def close(self) -> None:
        """Stop the workers; leave the cluster (and stop it if it was started here)."""
        ray = self._ray
        if ray is None:
            return
        for actor in self.actors:
            try:
                ray.kill(actor)
            except Exception:  # noqa: BLE001 - already gone
                pass
        self.actors = []
        if self._started_ray and ray.is_initialized():
            ray.shutdown()
        self._started_ray = False
