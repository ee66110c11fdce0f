"""MkDocs hook: gather the whole site model from the seeds, then add its pages and data files to the build.

One method per MkDocs event, wiring only; the logic lives in the stages and ``site.py``.
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

# MkDocs loads this file by path, so make the package importable from the project root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from build_scripts import embed, settings, site  # noqa: E402
from build_scripts.cache import Cache  # noqa: E402
from build_scripts.errors import InputError  # noqa: E402
from build_scripts.glossary import CjkAbbrExtension  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
_state: dict = {}
log = logging.getLogger("mkdocs.plugins.explainer")


def build_cache() -> Cache:
    """The cache of this build, or none when EXPLAINER_NO_CACHE asks for a cold build."""
    return Cache(None if settings.get("EXPLAINER_NO_CACHE") else settings.get("EXPLAINER_CACHE"))


def on_config(config):
    """Process every report and gather the site before anything is written, so bad input stops the build early."""
    cache = build_cache()
    try:
        model = site.gather_seeds(settings.get("EXPLAINER_SEEDS"), cache)
    except InputError as err:
        # The message names the seed first: that is what the editor has to fix.
        raise PluginError(str(err)) from None
    _state["site"] = model
    reports = [part.report for part in model.reports]
    log.info(f"{len(reports)} reports; cache: {cache.hits} reused, {cache.misses} made")
    for report in reports:
        if report.suspects:
            # For editors: words that look spun but no lexicon entry covers (see the corrections pages).
            log.info(f"{report.source}: {len(report.corrections)} corrections, {len(report.suspects)} suspects")
    # Same inputs, same bytes: the sitemap's dates come from the reports, not the clock.
    os.environ["SOURCE_DATE_EPOCH"] = str(site.epoch(reports))
    # The stock abbr extension needs word boundaries, which Chinese text does not have.
    config["markdown_extensions"] = [CjkAbbrExtension() if e == "abbr" else e for e in config["markdown_extensions"]]
    config["nav"] = site.nav(model)
    return config


def on_files(files, config):
    """Add the generated pages, the data downloads and the self-hosted ECharts to the build."""
    model = _state["site"]
    for page in model.all_pages():
        files.append(File.generated(config, page.path, content=page.markdown))
    for data in model.all_files():
        files.append(File.generated(config, data.path, content=data.content))
    if not embed.ECHARTS.is_file():
        raise PluginError(f"{embed.ECHARTS}: missing; run `make site` (it builds the site's ECharts from the pinned package)")
    files.append(File.generated(config, embed.ECHARTS_PATH, abs_src_path=str(embed.ECHARTS)))
    return Files(sorted(files, key=lambda file: site.walk_order(file.src_uri)))
