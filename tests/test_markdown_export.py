"""Export: the generated Markdown with a hook-free mkdocs.yml builds the same site as the generator."""
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, run_build
from test_build import all_files
from test_search_index import Index


@pytest.fixture(scope="module")
def small_seeds(tmp_path_factory, seed_path):
    folder = tmp_path_factory.mktemp("seeds")
    shutil.copy(seed_path, folder / seed_path.name)
    shutil.copy(ROOT / "seeds" / "xizang.txt", folder / "xizang.txt")
    # Shorter than xizang: the workers make (and MkDocs reads) xizang before hebei, the reverse of
    # the folder's order, in which the hook must still write the pages, search index and sitemap.
    shutil.copy(ROOT / "seeds" / "hebei.txt", folder / "hebei.txt")
    return folder


def test_plain_mkdocs_on_the_export_builds_the_same_site(small_seeds, tmp_path):
    env = {"EXPLAINER_SEEDS": str(small_seeds), "EXPLAINER_CACHE": str(tmp_path / "cache")}
    built = run_build(tmp_path / "site", env)
    assert built.returncode == 0, built.stderr
    run = lambda *args: subprocess.run([sys.executable, *args], cwd=ROOT, env={**os.environ, **env},  # noqa: E731
                                       capture_output=True, text=True)
    exported = run("-m", "build_scripts", "export", str(tmp_path / "export"))
    assert exported.returncode == 0, exported.stderr
    config = (tmp_path / "export" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "hooks:" not in config and "build_scripts.glossary" in config
    epoch = "1767225600"  # the generator sets SOURCE_DATE_EPOCH from the reports; plain mkdocs is told
    from build_scripts.site import epoch as site_epoch
    from build_scripts.pipeline import load_reports
    epoch = str(site_epoch(load_reports(small_seeds)))
    plain = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(tmp_path / "export/mkdocs.yml")],
                           cwd=ROOT, env={**os.environ, "SOURCE_DATE_EPOCH": epoch}, capture_output=True, text=True)
    assert plain.returncode == 0, plain.stderr
    indexed = run("-m", "build_scripts", "index", str(tmp_path / "export" / "site"))
    assert indexed.returncode == 0, indexed.stderr
    # The search index is cut into parts by shard in the generator's build and is one part here: the
    # same pages, passages and postings under other part names.
    searched = lambda files: {name: data for name, data in files.items() if not name.startswith("search/")}  # noqa: E731
    ours, theirs = all_files(tmp_path / "site"), all_files(tmp_path / "export" / "site")
    assert searched(ours).keys() == searched(theirs).keys()
    assert [name for name in searched(ours) if ours[name] != theirs[name]] == []
    our_index, their_index = Index(tmp_path / "site"), Index(tmp_path / "export" / "site")
    our_pages, their_pages = our_index.pages(), their_index.pages()
    assert {url: (p["title"], p["passages"]) for url, p in our_pages.items()} == \
           {url: (p["title"], p["passages"]) for url, p in their_pages.items()}
    for word in ("发展", "西藏", "老旧", "鼓浪", "7", "gdp", "民"):
        assert sorted(our_index.postings(word)) == sorted(their_index.postings(word)), word
