"""The pipeline over a folder of seeds: every seed a report, unchanged ones reused from the cache."""
import shutil

import pytest

from build_scripts.cache import Cache
from build_scripts.errors import InputError
from build_scripts.pipeline import STAGES, load_reports, published_path

PLAIN = "2025年某县政府工作报告\n\n过去一年，全县地区生产总值增长5.2%，新建学校3所。\n\n今年将新增就业岗位2000个。\n"


@pytest.fixture
def seeds(tmp_path, seed_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(seed_path, folder / seed_path.name)
    (folder / "county.txt").write_text(PLAIN, encoding="utf-8")
    return folder


def test_the_stage_order_is_declared_once_and_ends_with_figures():
    assert [s.__name__ for s in STAGES] == ["clean", "classify", "extract_figures"]


def test_every_seed_becomes_a_report_named_by_its_file(seeds):
    reports = load_reports(seeds)
    assert sorted(r.slug for r in reports) == ["000_89c8bcedadaad6b3", "county"]


def test_an_unchanged_seed_is_not_processed_again(seeds, tmp_path):
    cache = Cache(tmp_path / "cache")
    first = load_reports(seeds, cache)
    again = Cache(tmp_path / "cache")
    second = load_reports(seeds, again)
    assert (again.hits, again.misses) == (2, 0)
    assert second == first


def test_changing_one_seed_reprocesses_only_that_report(seeds, tmp_path):
    load_reports(seeds, Cache(tmp_path / "cache"))
    (seeds / "county.txt").write_text(PLAIN.replace("3所", "4所"), encoding="utf-8")
    cache = Cache(tmp_path / "cache")
    reports = load_reports(seeds, cache)
    assert (cache.hits, cache.misses) == (1, 1)
    county = next(r for r in reports if r.slug == "county")
    assert "4所" in "".join(b.text for b in county.blocks)


def test_a_folder_without_seeds_is_an_error_naming_it(tmp_path):
    with pytest.raises(InputError, match="no seed files"):
        load_reports(tmp_path)


def test_published_paths_never_hold_the_machine_path(seed_path, tmp_path):
    assert published_path(seed_path) == "seeds/000_89c8bcedadaad6b3.txt"
    assert published_path(tmp_path / "elsewhere.txt") == "seeds/elsewhere.txt"


def test_the_site_from_the_seeds_is_the_site_from_their_records_and_is_cached_per_seed(seeds, tmp_path):
    from build_scripts.site import gather, gather_seeds

    cache = Cache(tmp_path / "cache")
    built = gather_seeds(seeds, cache)
    assert built == gather(load_reports(seeds))
    again = Cache(tmp_path / "cache")
    assert gather_seeds(seeds, again) == built
    assert (again.hits, again.misses) == (3, 0)  # two seeds' shares and the site-wide part


def test_two_seeds_that_would_share_an_address_stop_the_site(seeds):
    from build_scripts.pipeline import check_slugs

    reports = load_reports(seeds)
    with pytest.raises(InputError, match="share the slug county"):
        check_slugs(seeds, reports + [r for r in reports if r.slug == "county"])


def test_the_warm_up_report_goes_through_every_stage():
    # It loads every stage's rules and models before the workers fork; a report the stages reject would load less.
    from build_scripts.pipeline import warm_up

    report = warm_up()
    assert any(b.figures for b in report.blocks) and any(b.theme for b in report.paragraphs)
