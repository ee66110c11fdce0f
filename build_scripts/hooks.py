"""MkDocs hook: run the pipeline and add its pages and data files to the build.

One method per MkDocs event, wiring only; the logic lives in the stages.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

# MkDocs loads this file by path, so make the package importable from the project root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from build_scripts import export, pipeline, settings  # noqa: E402
from build_scripts.errors import InputError  # noqa: E402
from build_scripts.glossary import CjkAbbrExtension  # noqa: E402
from build_scripts.pages import build_pages  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ECHARTS = ROOT / "node_modules" / "echarts" / "dist" / "echarts.min.js"
_state: dict = {}
log = logging.getLogger("mkdocs.plugins.explainer")


def on_config(config):
    """Load and process the report before anything is written, so bad input stops the build early."""
    seeds = settings.get("EXPLAINER_SEEDS")
    try:
        reports = pipeline.load_reports(seeds)
    except InputError as err:
        raise PluginError(str(err)) from None
    if len(reports) != 1:
        names = ", ".join(r.source for r in reports)
        raise PluginError(f"{seeds}: found {len(reports)} reports ({names}); the site publishes exactly one")
    report = reports[0]
    _state["report"] = report
    log.info(f"{report.source}: {len(report.corrections)} corrections, {len(report.suspects)} residual suspects")
    for suspect in report.suspects:
        # For editors: words that look spun but no lexicon entry covers (see the corrections page).
        log.info(f"  suspect {suspect.get('word')!r} in block {suspect.get('block')}: {suspect.get('reason')}")
    _state["pages"] = build_pages(report)
    # Same inputs, same bytes: the sitemap's dates come from the report, not the clock.
    os.environ["SOURCE_DATE_EPOCH"] = str(_report_epoch(report))
    # The stock abbr extension needs word boundaries, which Chinese text does not have.
    config["markdown_extensions"] = [CjkAbbrExtension() if e == "abbr" else e for e in config["markdown_extensions"]]
    config["nav"] = [{page.title: page.path} for page in _state["pages"]] + [{"关于本站": "about.md"}]
    return config


def on_files(files, config):
    """Add the generated pages, the data downloads and the self-hosted ECharts to the build."""
    report = _state["report"]
    for page in _state["pages"]:
        files.append(File.generated(config, page.path, content=page.markdown))
    files.append(File.generated(config, "data/figures.csv", content=export.figures_csv([report])))
    files.append(File.generated(config, "data/figures.json", content=export.figures_json([report])))
    record = json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"
    files.append(File.generated(config, "data/report.json", content=record.encode("utf-8")))
    if not ECHARTS.is_file():
        raise PluginError(f"{ECHARTS}: missing; run `make site` (npm ci installs the pinned ECharts)")
    files.append(File.generated(config, "assets/javascripts/echarts.min.js", abs_src_path=str(ECHARTS)))
    return files


def _report_epoch(report) -> int:
    stamp = report.published or "2000-01-01"
    moment = dt.datetime.fromisoformat(stamp).replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))
    return int(moment.timestamp())
