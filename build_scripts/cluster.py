"""The per-report work on a Dask ``distributed`` cluster, for sites too large for one machine.

With ``EXPLAINER_SCHEDULER`` set (``tcp://host:8786``), the build sends each report it must make
to the cluster instead of to local worker processes; everything else (the cache, the order, the
site-wide pages) stays in the build process. What the workers need:

- this checkout's build code, importable on the workers and the scheduler, which unpickles each
  task (``pip install -r requirements.txt`` and the project folder on ``PYTHONPATH``): the build
  refuses a cluster whose code version differs from its own, since its pages would not be the
  pages this code makes;
- the seeds, overrides and data files at the same paths as the build (a shared file system):
  tasks name files, they do not carry them.

The build's own settings travel with each task (``with_settings``), so a worker started
without the build's environment still reads the lexicon and overrides the build was given.
"""
from __future__ import annotations

import os
from typing import Any, Callable, Optional

from . import settings

# Dask names a task's group by the key's prefix: the scheduler's dashboard and logs show these.
TASK_PREFIX = "explainer-report"
CONNECT_SECONDS = 30


class ClusterError(RuntimeError):
    """The cluster cannot do this build's work: unreachable, or running other build code."""


def build_settings() -> dict[str, Optional[str]]:
    """The build's declared settings as the environment gives them (None: not set, the default applies)."""
    return {setting.name: os.environ.get(setting.name) for setting in settings.SETTINGS}


def with_settings(make: Callable[[Any], Any], arg: Any, environment: dict[str, Optional[str]]) -> Any:
    """``make(arg)`` on a worker, with the build's settings in place of the worker's own."""
    for name, value in environment.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    return make(arg)


def connect(address: str):
    """A client of the scheduler at ``address``, once every worker is known to run this build's code."""
    from distributed import Client

    from .cache import code_version

    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError) as err:
        raise ClusterError(f"EXPLAINER_SCHEDULER={address}: no scheduler answered ({err}); start one "
                           f"(dask scheduler) or leave the setting empty to work on this machine") from None
    try:
        # The scheduler unpickles every task too, so it needs the build code as much as the workers.
        versions = {"the scheduler": client.run_on_scheduler(code_version), **client.run(code_version)}
    except Exception as err:  # a scheduler or worker that cannot import the build code fails here
        client.close()
        raise ClusterError(f"EXPLAINER_SCHEDULER={address}: the cluster cannot run the build code ({err}); "
                           f"install requirements.txt on the scheduler and the workers and put the project "
                           f"folder on their PYTHONPATH") from None
    if len(versions) == 1:
        client.close()
        raise ClusterError(f"EXPLAINER_SCHEDULER={address}: the scheduler has no workers")
    other = sorted(worker for worker, version in versions.items() if version != code_version())
    if other:
        client.close()
        raise ClusterError(f"EXPLAINER_SCHEDULER={address}: {len(other)} of {len(versions)} (scheduler and workers) "
                           f"run other build code ({other[0]} …); update them to this checkout and restart them")
    return client


def submit(client, make: Callable[[Any], Any], arg: Any, key: str):
    """Send one unit of work to the cluster; the future's ``result()`` waits for it."""
    return client.submit(with_settings, make, arg, build_settings(), key=f"{TASK_PREFIX}-{key}", pure=False)


def stop(client, futures) -> None:
    """Cancel what the cluster has not finished for this build, and disconnect."""
    client.cancel(list(futures))
    client.close()
