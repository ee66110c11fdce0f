"""The site model: gathered whole before writing, stable addresses, one nav, the lists of reports."""
import json
from pathlib import Path
from dataclasses import replace

from build_scripts.cache import Cache
from build_scripts.site import epoch, gather, nav

from test_pages import county


def two_reports():
    return [county(), county(slug="town", place="某镇", title="2026年某镇政府工作报告")]


def test_the_site_holds_every_report_and_the_site_wide_views():
    site = gather(two_reports())
    assert [p.path for p in site.pages] == ["index.md", "reports.md", "compare.md", "targets.md", "glossary.md"]
    paths = [p.path for p in site.all_pages()]
    assert len(paths) == len(set(paths)) == 5 + 2 * 8
    assert {"data/figures/2026-00.csv", "data/figures/2026-00.json", "embed/embeds.json",
            "data/reports/index.json", "data/reports/2026-00.json", "data/promises.json"} == {
        f.path for f in site.files if not f.path.startswith("embed/") or f.path == "embed/embeds.json"}
    assert {"county/data/report.json", "town/data/figures.csv"} <= {f.path for f in site.all_files()}


def test_adding_a_report_changes_no_page_of_the_others():
    before = {p.path: p.markdown for p in gather(two_reports()).all_pages()}
    third = county(slug="city", place="某市", level="市", title="2026年某市政府工作报告")
    after = {p.path: p.markdown for p in gather(two_reports() + [third]).all_pages()}
    own = [path for path in before if path.startswith(("county/", "town/"))]
    assert own and all(before[path] == after[path] for path in own)


def test_the_list_of_reports_is_published_one_year_and_province_at_a_time_with_every_field():
    files = {f.path: f.content for f in gather(two_reports()).files}
    assert not [path for path in files if path.startswith("data/reports") and not path.startswith("data/reports/")]
    (shard,) = json.loads(files["data/reports/index.json"])
    rows = json.loads(files["data/reports/" + shard["file"]])
    assert [r["slug"] for r in rows] == ["county", "town"]
    assert rows[0] == {"slug": "county", "title": "2026年某县政府工作报告", "place": "某县", "level": "县",
                       "year": 2026, "shape": "official", "presenter": "", "delivered": "", "published": "",
                       "outlet": "", "source": "seeds/county.txt", "source_url": "", "official_url": "",
                       "url": "county/", "figures": 1, "tier": "county"}


def test_the_navigation_lists_each_report_with_its_pages():
    entries = nav([part.report for part in gather(two_reports()).reports])
    assert [next(iter(e)) for e in entries] == ["首页", "各地报告", "各地对比", "目标与完成", "名词解释", "关于本站"]
    assert entries[2]["各地对比"] == [{"各地对比": "compare.md"}]  # two county reports: no provincial comparison
    browser, *years = entries[1]["各地报告"]
    assert browser == {"报告一览": "reports.md"}
    assert [next(iter(y)) for y in years] == ["2026年"]
    # Neither 某县 nor 某镇 names its province: both wait in one group rather than being misfiled.
    unknown = years[0]["2026年"][0]["其他地方"]
    assert [next(iter(r)) for r in unknown] == ["某县（2026年）", "某镇（2026年）"]
    assert unknown[0]["某县（2026年）"][0] == {"概览": "county/index.md"}


def test_the_navigation_files_reports_by_year_then_province_and_a_lone_report_stands_alone():
    reports = [county(slug="fujian", place="福建省", level="省", title="2026年福建省政府工作报告"),
               county(slug="xiamen", place="厦门市", level="市", title="2026年厦门市政府工作报告"),
               county(slug="siming", place="厦门市思明区", level="区", year=2025, title="2025年厦门市思明区政府工作报告"),
               county(slug="hebei", place="河北省", level="省", title="2026年河北省政府工作报告")]
    years = nav([part.report for part in gather(reports).reports])[1]["各地报告"][1:]
    assert [next(iter(y)) for y in years] == ["2026年", "2025年"]
    in_2026 = years[0]["2026年"]
    # Official order: 河北 before 福建; 福建 has two reports that year, so they form a group.
    assert [next(iter(e)) for e in in_2026] == ["河北省（2026年）", "福建省"]
    assert [next(iter(r)) for r in in_2026[1]["福建省"]] == ["福建省（2026年）", "厦门市（2026年）"]
    assert [next(iter(e)) for e in years[1]["2025年"]] == ["厦门市思明区（2025年）"]


def test_a_report_of_a_place_with_a_report_the_year_before_or_after_gets_a_targets_page_in_its_navigation():
    reports = [county(), county(slug="county-2025", year=2025, title="2025年某县政府工作报告"),
               county(slug="town", place="某镇", title="2026年某镇政府工作报告")]
    site = gather(reports)
    made = {p.path for p in site.pages}
    assert {"county/targets.md", "county-2025/targets.md"} <= made and "town/targets.md" not in made
    years = nav([part.report for part in site.reports])[1]["各地报告"][1:]
    pages_of = {}

    def collect(entries):  # a report's entry maps its name to its pages; a group maps a name to entries
        for entry in entries:
            for name, value in entry.items():
                if value and all(isinstance(v, str) for item in value for v in item.values()):
                    pages_of[name] = value
                else:
                    collect(value)

    collect(years)
    titles = [next(iter(p)) for p in pages_of["某县（2026年）"]]
    assert titles.index("目标与完成") == titles.index("文化繁荣") + 1  # after the themes, before the full text
    assert {"目标与完成": "county-2025/targets.md"} in pages_of["某县（2025年）"]
    assert "目标与完成" not in [next(iter(p)) for p in pages_of["某镇（2026年）"]]


def test_the_navigation_made_before_any_stage_names_the_pages_each_report_then_gets():
    from build_scripts.pages import report_page_titles

    for part in gather(two_reports()).reports:
        assert report_page_titles(part.report) == [(page.path, page.title) for page in part.pages]


def test_the_tables_of_figures_of_a_year_and_province_are_their_reports_tables_joined():
    from build_scripts import export

    built = gather(two_reports())
    reports = sorted((part.report for part in built.reports), key=lambda report: report.slug)
    files = {data.path: data.content for data in built.files}
    assert files["data/figures/2026-00.csv"] == export.figures_csv(reports)
    assert files["data/figures/2026-00.json"] == export.figures_json(reports)
    index = json.loads(files["data/reports/index.json"])
    assert index[0]["figures_csv"] == "../figures/2026-00.csv" and index[0]["figures_json"] == "../figures/2026-00.json"
    assert export.joined_json([export.figures_json([])]) == export.figures_json([])


def test_an_unchanged_report_is_rendered_from_the_cache(tmp_path):
    first = gather(two_reports(), Cache(tmp_path))
    cache = Cache(tmp_path)
    assert gather(two_reports(), cache) == first
    assert (cache.hits, cache.misses) == (3, 0)  # both reports' pages and the site-wide part
    changed = Cache(tmp_path)
    gather([two_reports()[0], replace(two_reports()[1], title="2026年某镇政府工作报告（修订）")], changed)
    assert (changed.hits, changed.misses) == (1, 2)  # the changed report, and the site-wide part with it


def test_the_site_date_is_the_newest_report_date_and_ignores_bad_ones():
    reports = [county(published="2026-02-06"), county(delivered="2026-01-27"), county(published="2024-13-45")]
    assert epoch(reports) == epoch([county(published="2026-02-06")])
    assert epoch([county()]) == epoch([])


def test_files_are_ordered_as_mkdocs_walks_a_docs_folder():
    from build_scripts.site import walk_order

    paths = ["b/index.md", "about.md", "a/z.md", "index.md", "a/b/c.md", "a/index.md", "a/data/x.csv"]
    assert sorted(paths, key=walk_order) == ["index.md", "about.md", "a/index.md", "a/z.md", "a/b/c.md",
                                             "a/data/x.csv", "b/index.md"]


def test_the_workers_take_news_articles_first_then_the_longest_texts():
    from build_scripts.site import work_order

    short, article = county(slug="short"), replace(county(slug="article"), shape="article")
    long = county(slug="long")
    long = replace(long, blocks=long.blocks + long.blocks)
    assert work_order([short, long, article]) == [2, 1, 0]


def test_the_pages_are_read_in_the_workers_order_and_the_site_wide_pages_last(tmp_path):
    from build_scripts.site import start_seeds, work_order
    from conftest import ROOT

    for name in ("hebei", "xizang"):
        (tmp_path / f"{name}.txt").write_bytes((ROOT / "seeds" / f"{name}.txt").read_bytes())
    with start_seeds(tmp_path, Cache(None)) as pending:
        paths = pending.known_paths()
        assert [path.split("/")[0] for path in paths if path.endswith("/index.md")] == [
            pending.outlines[n].slug for n in work_order(pending.outlines)]
        site_wide = paths[paths.index("index.md"):]
        assert site_wide[:7] == ["index.md", "reports.md", "compare.md", "targets.md", "glossary.md",
                                 "compare/2025.md",  # hebei and xizang of 2026: 2026 targets, 2025 results
                                 "compare/2025/budget-revenue-growth-target.md"]  # then each indicator of 2025
        assert "compare/2026.md" in site_wide and "compare/2026/gdp-growth-target.md" in site_wide
        assert site_wide[-2:] == ["data/reports/index.json", "data/promises.json"]
        assert pending.content("compare/2026.md") == next(p.markdown for p in pending.site().pages
                                                          if p.path == "compare/2026.md")
        assert pending.content("index.md") == pending.site().pages[0].markdown
        assert pending.content("xizang/data/figures.csv").startswith(b"\xef\xbb\xbf")


def test_with_a_spool_every_page_and_data_file_waits_on_disk_with_the_bytes_it_has_in_memory_without(tmp_path):
    from build_scripts.cache import Spool
    from build_scripts.site import start_seeds
    from conftest import ROOT

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "xizang.txt").write_bytes((ROOT / "seeds" / "xizang.txt").read_bytes())
    spool = Spool(tmp_path / "spool")
    with start_seeds(seeds, Cache(None)) as pending:
        held = pending.site()
    with start_seeds(seeds, Cache(None), spool=spool) as pending:
        spooled = pending.site()
        # The hook reads a page or download of a spooled share the same way.
        assert pending.content("xizang/data/figures.csv") == held.reports[0].files[0].content
    assert [data.data for data in held.all_files()] == [data.content for data in spooled.all_files()]
    assert [page.markdown for page in held.all_pages()] == [page.read() for page in spooled.all_pages()]
    waiting = [*spooled.all_files(), *spooled.all_pages()]
    assert all(item.spooled for item in waiting) and not any(data.data for data in spooled.all_files())
    assert not any(page.markdown for page in spooled.all_pages())
    assert {Path(item.spooled).parent for item in waiting} == {spool.folder}


def test_the_compare_page_sets_provincial_reports_beside_each_other_and_leaves_a_county_out(tmp_path):
    from build_scripts.pipeline import load_reports

    # The same growth target in two provinces' reports and a county's: a county beside provinces is not
    # like with like, and a page of every report would grow with the site.
    for slug, place in (("anhui", "安徽省"), ("tibet", "西藏自治区"), ("county", "某县")):
        (tmp_path / f"{slug}.txt").write_text(f"2026年{place}政府工作报告\n\n二、2026年工作安排\n\n"
                                             f"今年地区生产总值增长5%左右。\n", encoding="utf-8")
    reports = load_reports(tmp_path)
    assert {r.level for r in reports} == {"省", "自治区", "县"}
    pages = {p.path: p.markdown for p in gather(reports).pages}
    page = pages["compare/2026/gdp-growth-target.md"]  # the year of the targets
    assert "安徽省" in page and "西藏自治区" in page
    assert "某县" not in page and "某县" not in pages["compare/2026.md"]


def test_the_reports_browser_gets_one_small_file_per_year_and_province_and_an_index_of_them():
    reports = [county(slug="fujian", place="福建省", level="省", title="2026年福建省政府工作报告"),
               county(slug="xiamen", place="厦门市", level="市", title="2026年厦门市政府工作报告"),
               county(slug="siming", place="厦门市思明区", level="区", year=2025, title="2025年厦门市思明区政府工作报告"),
               county(slug="hebei", place="河北省", level="省", title="2026年河北省政府工作报告"),
               county()]
    files = {f.path: json.loads(f.content) for f in gather(reports).files if f.path.startswith("data/reports/")}
    index = files.pop("data/reports/index.json")
    # Newest year first, provinces in official order (河北 13 before 福建 35), places the list cannot file last.
    assert [(e["year"], e["code"], e["province"], e["reports"]) for e in index] == [
        (2026, "13", "河北省", 1), (2026, "35", "福建省", 2), (2026, "00", "其他地方", 1), (2025, "35", "福建省", 1)]
    assert sorted(files) == sorted(f"data/reports/{e['file']}" for e in index)
    assert [row["slug"] for row in files["data/reports/2026-35.json"]] == ["fujian", "xiamen"]
    assert files["data/reports/2025-35.json"][0] == {
        "slug": "siming", "title": "2025年厦门市思明区政府工作报告", "place": "厦门市思明区", "level": "区", "year": 2025,
        "shape": "official", "presenter": "", "delivered": "", "published": "", "outlet": "",
        "source": "seeds/county.txt", "source_url": "", "official_url": "", "url": "siming/", "figures": 1,
        "tier": "county"}
    assert [row["tier"] for row in files["data/reports/2026-35.json"]] == ["provincial", "city"]
