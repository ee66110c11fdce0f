"""The per-report work on a Dask cluster (issue 21): a real LocalCluster, the same site as local workers."""
from __future__ import annotations

import os
import shutil

import pytest

from build_scripts import cache as cache_module
from build_scripts import cluster
from build_scripts.cache import Cache
from test_pipeline import PLAIN

distributed = pytest.importorskip("distributed")

CITY = "2026年某市政府工作报告\n\n过去一年，全市城镇新增就业1.2万人，改造老旧小区45个。\n\n今年地区生产总值预期增长5%左右。\n"


@pytest.fixture(scope="module")
def local_cluster():
    """Two worker processes on this machine, one thread each, as a real cluster's would be."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=50) as running:
        yield running


@pytest.fixture
def seeds(tmp_path, seed_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(seed_path, folder / seed_path.name)
    (folder / "county.txt").write_text(PLAIN, encoding="utf-8")
    (folder / "city.txt").write_text(CITY, encoding="utf-8")
    return folder


def report_tasks_seen(address: str) -> set[str]:
    """The keys of this project's report tasks that the cluster's workers have run (from their own logs)."""
    prefix = cluster.TASK_PREFIX

    def keys_run(dask_worker):
        return [entry[0] for entry in dask_worker.state.log
                if isinstance(entry[0], str) and entry[0].startswith(prefix) and "memory" in entry]

    with distributed.Client(address, set_as_default=False) as client:
        return {key for keys in client.run(keys_run).values() for key in keys}


def test_a_site_made_on_a_dask_cluster_is_the_site_made_by_local_workers(seeds, tmp_path, monkeypatch, local_cluster):
    from build_scripts.site import gather_seeds

    monkeypatch.setenv("EXPLAINER_WORKERS", "2")
    local = gather_seeds(seeds, Cache(None))
    before = report_tasks_seen(local_cluster.scheduler_address)
    monkeypatch.setenv("EXPLAINER_SCHEDULER", local_cluster.scheduler_address)
    remote = gather_seeds(seeds, Cache(tmp_path / "cache"))
    assert remote == local
    assert len(report_tasks_seen(local_cluster.scheduler_address) - before) == 3
    # What the cluster made is cached like any other value: the next build asks the cluster for nothing.
    again = Cache(tmp_path / "cache")
    assert gather_seeds(seeds, again) == local
    assert again.misses == 0
    assert len(report_tasks_seen(local_cluster.scheduler_address) - before) == 3


def test_the_build_settings_travel_with_each_task_and_replace_the_workers_own(monkeypatch):
    monkeypatch.setenv("EXPLAINER_LEXICON", "/elsewhere/lexicon.tsv")
    monkeypatch.delenv("EXPLAINER_OVERRIDES", raising=False)
    environment = cluster.build_settings()
    monkeypatch.delenv("EXPLAINER_LEXICON")
    monkeypatch.setenv("EXPLAINER_OVERRIDES", "/worker/own")
    seen = cluster.with_settings(lambda name: (os.environ.get(name), os.environ.get("EXPLAINER_OVERRIDES")),
                                 "EXPLAINER_LEXICON", environment)
    assert seen == ("/elsewhere/lexicon.tsv", None)


def test_workers_running_other_build_code_are_refused_with_what_to_do(local_cluster):
    with distributed.Client(local_cluster.scheduler_address, set_as_default=False) as client:
        # As a worker left on an older checkout would: its code hashes to another version.
        client.run(lambda: setattr(cache_module, "_saved_code_version", cache_module.code_version)
                   or setattr(cache_module, "code_version", lambda: "other"))
        try:
            with pytest.raises(cluster.ClusterError, match=r"2 of 3 \(scheduler and workers\) run other build code"):
                cluster.connect(local_cluster.scheduler_address)
        finally:
            client.run(lambda: setattr(cache_module, "code_version", cache_module._saved_code_version))


def test_an_address_where_no_scheduler_answers_is_one_clear_error(monkeypatch):
    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 1)
    with pytest.raises(cluster.ClusterError, match="no scheduler answered"):
        cluster.connect("tcp://127.0.0.1:9")


def test_shards_rendered_on_a_dask_cluster_make_the_site_local_workers_make(seeds, tmp_path, monkeypatch, local_cluster):
    from build_scripts import shards
    from conftest import ROOT
    from test_build import all_files

    monkeypatch.setenv("EXPLAINER_SEEDS", str(seeds))
    monkeypatch.setenv("EXPLAINER_WORKERS", "2")
    shards.build_site(ROOT / "mkdocs.yml", tmp_path / "local", Cache(None))
    seen = lambda: {key for key in report_tasks_seen(local_cluster.scheduler_address) if "-shard-" in key}  # noqa: E731
    before = seen()
    monkeypatch.setenv("EXPLAINER_SCHEDULER", local_cluster.scheduler_address)
    shards.build_site(ROOT / "mkdocs.yml", tmp_path / "remote", Cache(tmp_path / "cache"))
    local, remote = all_files(tmp_path / "local"), all_files(tmp_path / "remote")
    assert local.keys() == remote.keys() and [name for name in local if local[name] != remote[name]] == []
    rendered = seen() - before
    assert len(rendered) == len(list((tmp_path / "cache" / "shards").iterdir())) >= 2  # every shard, on the cluster
