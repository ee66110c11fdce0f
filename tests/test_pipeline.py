"""The pipeline over a folder of seeds: every seed a report, unchanged ones reused from the cache."""
import shutil
from pathlib import Path

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


# Issue 23: each of these names once built with status 0, replacing a site page (compare), landing on
# the site root (..txt), vanishing behind a 404 (.hidden), giving an unencoded link (r#1, a?b), or
# failing with an error that named mkdocs.yml (<b>x).
NAMES_REFUSED = {
    "compare.txt": "the address of the site's own compare/", "glossary.txt": "own glossary/",
    "about.txt": "own about/", "search.txt": "own search/", "embed.txt": "own embed/", "index.txt": "own index/",
    "data.txt": "own data/", "assets.txt": "own assets/", "javascripts.txt": "own javascripts/",
    "Compare.txt": "own compare/", "404.txt": "own 404/", "sitemap.txt": "own sitemap/",
    "..txt": "cannot be a web address", ".hidden.txt": "cannot be a web address", "r#1.txt": "cannot be a web address",
    "a?b.txt": "cannot be a web address", "<b>x.txt": "cannot be a web address", "a b.txt": "cannot be a web address",
    "福建.txt": "cannot be a web address", "sitemap.xml.txt": "cannot be a web address",
    "fujian.2026.txt": "cannot be a web address", "-x.txt": "cannot be a web address",
    "x" * 81 + ".txt": "is 81 characters long",
}


@pytest.mark.parametrize("name", sorted(NAMES_REFUSED))
def test_a_seed_whose_name_cannot_be_its_address_is_refused_naming_it(tmp_path, name):
    from build_scripts.pipeline import seed_paths
    from build_scripts.site import reserved_names

    (tmp_path / "county.txt").write_text(PLAIN, encoding="utf-8")
    (tmp_path / name).write_text(PLAIN, encoding="utf-8")
    with pytest.raises(InputError) as error:
        seed_paths(tmp_path, reserved_names())
    assert error.value.path == str(tmp_path / name)
    assert NAMES_REFUSED[name] in error.value.problem


def test_names_of_letters_digits_dashes_and_underscores_are_addresses(tmp_path):
    from build_scripts.pipeline import seed_paths
    from build_scripts.site import reserved_names

    names = ["000_89c8bcedadaad6b3.txt", "Fujian-2026.txt", "x" * 80 + ".txt", "compare-2026.txt", "about_us.txt"]
    for name in names:
        (tmp_path / name).write_text(PLAIN, encoding="utf-8")
    assert [p.name for p in seed_paths(tmp_path, reserved_names())] == sorted(names)


def test_two_seeds_whose_names_differ_only_in_case_are_refused(tmp_path):
    from build_scripts.pipeline import seed_paths

    for name in ("fujian.txt", "Fujian.txt"):
        (tmp_path / name).write_text(PLAIN, encoding="utf-8")
    with pytest.raises(InputError, match="differs from Fujian.txt only in case"):
        seed_paths(tmp_path)


def test_a_seed_that_is_a_symbolic_link_is_refused_wherever_it_points(tmp_path):
    from build_scripts.pipeline import seed_paths

    (tmp_path / "county.txt").write_text(PLAIN, encoding="utf-8")
    (tmp_path / "passwd.txt").symlink_to("/etc/passwd")
    with pytest.raises(InputError, match="is a symbolic link") as error:
        seed_paths(tmp_path)
    assert error.value.path == str(tmp_path / "passwd.txt")
    (tmp_path / "passwd.txt").unlink()
    (tmp_path / "inside.txt").symlink_to(tmp_path / "county.txt")  # even to another seed
    with pytest.raises(InputError, match="is a symbolic link"):
        seed_paths(tmp_path)


def test_every_top_level_name_of_the_built_site_but_the_reports_is_reserved(built_site):
    from build_scripts.site import reserved_names

    reports = {p.name for p in built_site.iterdir() if (p / "report" / "index.html").is_file()}
    others = {Path(p.name).stem.split(".")[0].lower() for p in built_site.iterdir() if p.name not in reports}
    assert others - reserved_names() == set()


def test_the_report_key_changes_with_the_overrides_the_provenance_and_the_settings(tmp_path, monkeypatch):
    # Issue 23: the overrides could be left out of the key and every test still passed.
    from build_scripts.pipeline import report_key

    seed = tmp_path / "county.txt"
    seed.write_text(PLAIN, encoding="utf-8")
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    monkeypatch.setenv("EXPLAINER_OVERRIDES", str(overrides))
    keys = [report_key(seed)]
    (overrides / "county.yml").write_text("force: []\n", encoding="utf-8")
    keys.append(report_key(seed))
    (tmp_path / "county.yml").write_text("outlet: 某县日报\n", encoding="utf-8")
    keys.append(report_key(seed))
    monkeypatch.setenv("EXPLAINER_LEXICON", str(tmp_path / "lexicon.tsv"))
    keys.append(report_key(seed))
    seed.write_text(PLAIN + "\n", encoding="utf-8")
    keys.append(report_key(seed))
    assert len(set(keys)) == len(keys)
    assert report_key(seed) == keys[-1]


def test_the_warm_up_report_goes_through_every_stage():
    # It loads every stage's rules and models before the workers fork; a report the stages reject would load less.
    from build_scripts.pipeline import warm_up

    report = warm_up()
    assert any(b.figures for b in report.blocks) and any(b.theme for b in report.paragraphs)
