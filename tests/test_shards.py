"""Shards: the site cut into MkDocs builds of one year and province each, and put back together unchanged."""
import dataclasses
import shutil
from pathlib import Path

import pytest

from build_scripts import pipeline, shards, site
from build_scripts.cache import Spool
from build_scripts.pages import Page, report_page_titles
from conftest import ROOT, run_build
from test_build import all_files

NAV = [
    {"首页": "index.md"},
    {"各地报告": [
        {"报告一览": "reports.md"},
        {"2026年": [
            {"甲省": [{"甲省（2026年）": [{"概览": "a/index.md"}, {"原文": "a/report.md"}]},
                      {"甲市（2026年）": [{"概览": "a2/index.md"}, {"原文": "a2/report.md"}]}]},
            {"乙省（2026年）": [{"概览": "b/index.md"}, {"原文": "b/report.md"}]},
            {"丙省（2026年）": [{"概览": "c/index.md"}, {"原文": "c/report.md"}]},
        ]},
        {"2025年": [{"甲省（2025年）": [{"概览": "a-2025/index.md"}, {"原文": "a-2025/report.md"}]}]},
    ]},
    {"关于本站": "about.md"},
]


def leaves(nav):
    return list(shards._leaves(nav))


def test_a_shard_sees_its_own_sections_whole_and_every_other_one_as_its_first_page():
    visible = shards.visible_nav(NAV, {"b/index.md", "b/report.md"})
    years = visible[1]["各地报告"]
    assert years[1]["2026年"][1] == NAV[1]["各地报告"][1]["2026年"][1]  # its own report, whole
    # 甲省's group shows its first page (the pruned link) and its last (the page before b's first)
    assert years[1]["2026年"][0] == {"甲省": [{"甲省（2026年）": [{"概览": "a/index.md"}]},
                                             {"甲市（2026年）": [{"原文": "a2/report.md"}]}]}
    # 丙省 follows b: its first page is both the link and the footer's next page
    assert years[1]["2026年"][2] == {"丙省（2026年）": [{"概览": "c/index.md"}]}
    assert years[2] == {"2025年": [{"甲省（2025年）": [{"概览": "a-2025/index.md"}]}]}
    assert visible[0] == NAV[0] and visible[2] == NAV[2]


def test_the_visible_navigation_keeps_every_page_next_to_a_shard_page_in_the_same_order():
    wanted = {"b/index.md", "b/report.md"}
    full, seen = leaves(NAV), leaves(shards.visible_nav(NAV, wanted))
    assert seen == [path for path in full if path in seen]  # a subsequence: the order is the site's
    for path in wanted:
        n, m = full.index(path), seen.index(path)
        assert seen[m - 1] == full[n - 1] and seen[m + 1] == full[n + 1]  # the footer's neighbours


def outlines(*names):
    return [pipeline.outline(ROOT / "seeds" / f"{name}.txt") for name in names]


def model_of(reports):
    """A site model with one small page per report page and a home page (the contents do not matter here)."""
    parts = [site.ReportSite(report, tuple(Page(path, title, f"# {title} {report.slug}\n")
                                           for path, title in report_page_titles(report)), ())
             for report in sorted(reports, key=site.report_order)]
    return site.Site(tuple(parts), (Page("index.md", "首页", f"{len(parts)} 份报告\n"),), ())


def keys_of(reports):
    ordered = sorted(reports, key=site.report_order)
    plan = shards.plan(model_of(reports), site.nav(ordered), site.epoch(ordered))
    return {shard.name: shards.shard_key(shard, shards.site_inputs(ROOT / "mkdocs.yml")) for shard in plan}


def test_adding_a_report_to_its_province_changes_its_shard_its_neighbours_and_the_site_shard_only():
    reports = outlines("hebei", "shanxi", "neimenggu", "liaoning", "hebei-2025", "shanxi-2025")
    second = dataclasses.replace(reports[0], slug="hebei-b", place="石家庄市", level="市")
    before, after = keys_of(reports + [dataclasses.replace(second, slug="hebei-a")]), keys_of(
        reports + [dataclasses.replace(second, slug="hebei-a"), second])
    changed = sorted(name for name in after if after[name] != before.get(name))
    # 河北's group now ends with the new report; 山西 follows it (its first page's previous link)
    assert changed == ["2026/山西省", "2026/河北省", "site"]


def test_every_page_and_download_of_the_site_is_in_exactly_one_shard():
    reports = outlines("hebei", "shanxi", "hebei-2025")
    model = model_of(reports)
    plan = shards.plan(model, site.nav(reports), site.epoch(reports))
    owned = [path for shard in plan for path in shard.own_paths()]
    assert sorted(owned) == sorted(page.path for page in model.all_pages())
    for shard in plan:
        assert not set(shard.known) & set(shard.own_paths())
        assert set(shard.known) | set(shard.own_paths()) >= {page.path for page in model.all_pages()}
    assert [shard.with_docs for shard in plan] == [False] * (len(plan) - 1) + [True]


def test_the_sitemaps_of_the_shards_are_merged_in_the_order_mkdocs_lists_the_pages(tmp_path):
    head, tail = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset>', "\n</urlset>"
    block = "\n    <url>\n         <loc>{}</loc>\n    </url>"
    site_folder = tmp_path / "site-shard"
    site_folder.mkdir()
    import gzip
    with gzip.GzipFile(site_folder / "sitemap.xml.gz", "wb", mtime=1767225600) as gz:
        gz.write(b"")
    report = shards.Shard("2026/甲省", [], (Page("a/report.md", "", ""), Page("a/index.md", "", "")), (), (), False, 0)
    site_shard = shards.Shard("site", [], (Page("index.md", "", ""), Page("reports.md", "", "")), (), (), True, 0)
    sitemaps = [(report, ["a/index.md", "a/report.md"], head + block.format("a/") + block.format("a/report/") + tail),
                (site_shard, ["index.md", "reports.md"], head + block.format("") + block.format("reports/") + tail)]
    out = tmp_path / "out"
    out.mkdir()
    shards._write_sitemap(sitemaps, out, site_folder)
    text = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert [line.strip() for line in text.splitlines() if "<loc>" in line] == [
        "<loc></loc>", "<loc>reports/</loc>", "<loc>a/</loc>", "<loc>a/report/</loc>"]
    assert gzip.decompress((out / "sitemap.xml.gz").read_bytes()).decode("utf-8") == text
    assert (out / "sitemap.xml.gz").read_bytes()[4:8] == (1767225600).to_bytes(4, "little")


def city_report(place: str) -> str:
    """河北's report moved to one of its cities: another report filed under 河北省, 2026."""
    return (ROOT / "seeds" / "hebei.txt").read_text(encoding="utf-8").replace("河北省", place) + f"\n本文为{place}测试样本。\n"


def test_a_rebuild_after_adding_a_report_renders_few_shards_and_gives_the_cold_builds_bytes(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in ("hebei", "shanxi", "neimenggu", "hebei-2025"):
        shutil.copy(ROOT / "seeds" / f"{name}.txt", seeds / f"{name}.txt")
    (seeds / "hebei-b.txt").write_text(city_report("石家庄市"), encoding="utf-8")
    cache = tmp_path / "cache"
    env = {"EXPLAINER_SEEDS": str(seeds), "EXPLAINER_CACHE": str(cache)}
    assert run_build(tmp_path / "site", env).returncode == 0
    rendered = set((cache / "shards").iterdir())
    assert not [p.name for p in rendered if p.name.startswith(".")]  # no half-written shard, no spool left behind
    (seeds / "hebei-c.txt").write_text(city_report("保定市"), encoding="utf-8")
    result = run_build(tmp_path / "site", env)
    assert result.returncode == 0, result.stderr
    new = set((cache / "shards").iterdir()) - rendered
    # the new report's shard (河北省, 2026), the next one's (山西, whose first page's previous link it is)
    # and the site's; not 内蒙古's nor 2025's
    assert len(new) == 3, sorted(p.name for p in new)
    cold = run_build(tmp_path / "cold", {**env, "EXPLAINER_NO_CACHE": "1"})
    assert cold.returncode == 0, cold.stderr
    incremental, fresh = all_files(tmp_path / "site"), all_files(tmp_path / "cold")
    assert incremental.keys() == fresh.keys()
    assert [name for name in incremental if incremental[name] != fresh[name]] == []


def kept_output(store, key: str) -> Path:
    made = Path(store.temporary(key))
    (made / "a").mkdir()
    (made / "a" / "index.html").write_text("<p>甲</p>", encoding="utf-8")
    store.keep(key, str(made))
    return store.path(key)


def test_a_kept_shard_with_a_file_missing_or_cut_short_is_rendered_again(tmp_path):
    from build_scripts.cache import Cache

    store = shards._ShardStore(Cache(tmp_path / "cache"), tmp_path / "out")
    folder = kept_output(store, "k1")
    assert store.has("k1")
    (folder / "a" / "index.html").write_text("<p>", encoding="utf-8")  # truncated by hand
    assert not store.has("k1") and not folder.exists()
    folder = kept_output(store, "k2")
    (folder / "a" / "index.html").unlink()
    assert not store.has("k2")


def test_shards_unused_for_two_weeks_and_half_written_ones_are_deleted(tmp_path):
    import os
    import time
    from build_scripts.cache import Cache

    store = shards._ShardStore(Cache(tmp_path / "cache"), tmp_path / "out")
    old, recent = kept_output(store, "old"), kept_output(store, "recent")
    half = Path(store.temporary("killed"))
    weeks_ago, days_ago = time.time() - 15 * 86400, time.time() - 2 * 86400
    os.utime(old, (weeks_ago, weeks_ago))
    os.utime(half, (days_ago, days_ago))
    store.close()
    assert sorted(p.name for p in store.folder.iterdir()) == ["recent"] and recent.exists()


def test_a_build_without_a_cache_leaves_no_shard_outputs_behind(tmp_path):
    from build_scripts.cache import Cache

    out = tmp_path / "out"
    store = shards._ShardStore(Cache(None), out)
    kept_output(store, "k")
    store.close()
    assert not (out / ".shards").exists()


def test_a_shards_key_changes_with_its_pages_its_navigation_and_the_config(tmp_path):
    shard = shards.Shard("2026/甲省", NAV, (Page("a/index.md", "甲", "# 甲\n"),), (), (), False, 0)
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: 甲\n", encoding="utf-8")
    key = shards.shard_key(shard, shards.site_inputs(config))
    assert shards.shard_key(shard, shards.site_inputs(config)) == key
    assert shards.shard_key(dataclasses.replace(shard, pages=(Page("a/index.md", "甲", "# 乙\n"),)),
                            shards.site_inputs(config)) != key
    assert shards.shard_key(dataclasses.replace(shard, nav=NAV[:2]), shards.site_inputs(config)) != key
    assert shards.shard_key(dataclasses.replace(shard, known=("b/index.md",)), shards.site_inputs(config)) == key  # link targets only
    held = dataclasses.replace(shard, files=(site.DataFile("a/data/figures.csv", b"1"),))
    spool = Spool(tmp_path / "spool")
    spooled = dataclasses.replace(shard, pages=tuple(page.spool(spool) for page in shard.pages),
                                  files=(held.files[0].spool(spool),))
    assert spooled.pages[0].spooled and spooled.files[0].spooled
    changed = dataclasses.replace(shard, files=(site.DataFile("a/data/figures.csv", b"2"),))
    assert len({shards.shard_key(s, shards.site_inputs(config)) for s in (shard, held, changed)}) == 3
    assert shards.shard_key(spooled, shards.site_inputs(config)) == shards.shard_key(held, shards.site_inputs(config))
    config.write_text("site_name: 乙\n", encoding="utf-8")
    other_config = shards.shard_key(shard, shards.site_inputs(config))
    assert other_config != key
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides" / "main.html").write_text("{% extends 'base.html' %}", encoding="utf-8")
    assert shards.shard_key(shard, shards.site_inputs(config)) != other_config  # a theme override re-renders every shard
