"""Export: the generated Markdown, data files and assets with a hook-free ``mkdocs.yml``.

For editors who want to hand-edit the pages, and for measuring the generator's own
cost: ``python -m mkdocs build -f DIR/mkdocs.yml``, run from the project root (the
search plugin's jieba dictionary and the Chinese tooltip extension are read from
there), builds the same site as ``python -m build_scripts build``.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from .embed import ECHARTS, ECHARTS_PATH
from .site import Site, nav

ROOT = Path(__file__).resolve().parent.parent
THEME_OVERRIDES = ROOT / "overrides"  # mkdocs.yml's theme.custom_dir, found relative to the config file


def exported_config(config_text: str, site: Site) -> str:
    """The project's ``mkdocs.yml`` without the hook, with the navigation written out and Chinese tooltips kept."""
    text = re.sub(r"(?m)^hooks:\n(?:[ \t]+- .*\n)+", "", config_text)
    text = re.sub(r"(?m)^watch:\n(?:[ \t]+- .*\n)+", "", text)
    # The hook swaps the stock abbr extension for the Chinese-aware one; without the hook, name it.
    text = re.sub(r"(?m)^([ \t]+)- abbr$", r"\1- build_scripts.glossary", text)
    text = re.sub(r"(?m)^docs_dir:.*$", "docs_dir: docs", text)
    text = re.sub(r"(?m)^site_dir:.*$", "site_dir: site", text)
    header = "# Exported by `python -m build_scripts export`: build with `python -m mkdocs build -f <this file>`\n" \
             "# from the project root. The navigation below lists the generated pages.\n"
    navigation = yaml.safe_dump({"nav": nav([part.report for part in site.reports])}, allow_unicode=True, sort_keys=False)
    return header + text.rstrip() + "\n\n" + navigation


def export_site(site: Site, config: Path, docs: Path, out: Path) -> Path:
    """Write the whole site as Markdown into ``out``: docs/ (hand-written and generated) and mkdocs.yml."""
    out = Path(out)
    target = out / "docs"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(docs, target)
    if THEME_OVERRIDES.is_dir():  # the exported mkdocs.yml names it, so it travels with the export
        shutil.rmtree(out / THEME_OVERRIDES.name, ignore_errors=True)
        shutil.copytree(THEME_OVERRIDES, out / THEME_OVERRIDES.name)
    for page in site.all_pages():
        _write(target / page.path, page.read().encode("utf-8"))
    for data in site.all_files():
        _write(target / data.path, data.content)
    _write(target / ECHARTS_PATH, ECHARTS.read_bytes())
    _write(out / "mkdocs.yml", exported_config(Path(config).read_text(encoding="utf-8"), site).encode("utf-8"))
    return out


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
