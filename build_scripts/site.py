"""The site model: every report's pages and data files, and the site-wide views, gathered before anything is written.

As MkDocs gathers its files first, the hook (and ``export``) ask this module for the
whole site, then add or write it in one go. Each report's part is a pure function of
its record, so it is cached with the record's hash: an unchanged report costs nothing.
"""
from __future__ import annotations

import datetime as dt
import json
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from . import embed, export, pipeline, settings
from .cache import Cache, input_key
from .compare import compare
from .model import Report
from .pages import Page, nav_name, report_order, report_pages, site_pages

CHINA_TIME = dt.timezone(dt.timedelta(hours=8))


@dataclass(frozen=True)
class DataFile:
    """A generated file that is not a page (CSV, JSON): its path in the site and its bytes."""

    path: str
    content: bytes


@dataclass(frozen=True)
class ReportSite:
    """One report's share of the site: its record, pages and data files."""

    report: Report
    pages: tuple[Page, ...]
    files: tuple[DataFile, ...]


@dataclass(frozen=True)
class Site:
    """The whole generated site, in navigation order."""

    reports: tuple[ReportSite, ...]
    pages: tuple[Page, ...]  # site-wide pages (home, comparisons, glossary)
    files: tuple[DataFile, ...]  # site-wide data files

    def all_pages(self) -> list[Page]:
        """Every generated page, site-wide first, then each report's."""
        return list(self.pages) + [p for r in self.reports for p in r.pages]

    def all_files(self) -> list[DataFile]:
        """Every generated data file."""
        return list(self.files) + [f for r in self.reports for f in r.files]


def report_site(report: Report) -> ReportSite:
    """One report's pages and data files."""
    base = f"{report.slug}/data"
    record = json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"
    files = (DataFile(f"{base}/figures.csv", export.figures_csv([report])),
             DataFile(f"{base}/figures.json", export.figures_json([report])),
             DataFile(f"{base}/report.json", record.encode("utf-8")))
    files += tuple(DataFile(path, content) for path, content in embed.report_embeds(report, _public_url()))
    return ReportSite(report, tuple(report_pages(report)), files)


def _public_url() -> str:
    return settings.get("EXPLAINER_SITE_URL")


def seed_site(path: Path) -> ReportSite:
    """One seed's share of the site, from its file: processed and paged by the same worker, in one go."""
    return report_site(pipeline.load_published(path))


def warm_up() -> None:
    """Load what every worker needs, pages included, by making one small report's share of the site."""
    report_site(pipeline.warm_up())


def gather_seeds(seeds_dir: Path, cache: Optional[Cache] = None) -> Site:
    """The whole site from a folder of seeds; unchanged seeds' shares come from the cache, the others are made in parallel.

    A seed's share is a pure function of what keys its record (seed, overrides, settings, code) and of
    the public URL (written into the embed files), so it is cached under those; the site-wide part under all of them.
    """
    cache = cache or Cache(None)
    paths = pipeline.seed_paths(seeds_dir)
    keys = [input_key(pipeline.report_key(p).encode("ascii"), _public_url().encode("utf-8")) for p in paths]
    parts = cache.get_or_make_all("parts", keys, seed_site, paths, prepare=warm_up)
    pipeline.check_slugs(seeds_dir, [part.report for part in parts])
    order = sorted(range(len(parts)), key=lambda n: report_order(parts[n].report))
    return _assemble([parts[n] for n in order], [keys[n] for n in order], cache)


def gather(reports: list[Report], cache: Optional[Cache] = None) -> Site:
    """The whole site from the processed reports; unchanged parts (a report's, the site-wide) come from the cache."""
    cache = cache or Cache(None)
    ordered = sorted(reports, key=report_order)
    # The public URL is written into the embed files, so it is part of their key.
    keys = [input_key(pickle.dumps(r, protocol=4), _public_url().encode("utf-8")) for r in ordered]
    return _assemble(cache.get_or_make_all("pages", keys, report_site, ordered), keys, cache)


def _assemble(parts: list[ReportSite], keys: list[str], cache: Cache) -> Site:
    """The site from every report's share, in site order; the site-wide part is cached under all their keys."""
    reports = [part.report for part in parts]
    pages, files = cache.get_or_make("site", input_key(*(k.encode("ascii") for k in keys)),
                                     lambda: site_wide(reports))
    return Site(tuple(parts), pages, files)


def site_wide(reports: list[Report]) -> tuple[tuple[Page, ...], tuple[DataFile, ...]]:
    """The pages and data files about all reports: home, comparisons, glossary, the lists and all figures."""
    files = (DataFile("data/reports.json", export.reports_json(reports)),
             DataFile("data/figures.csv", export.figures_csv(reports)),
             DataFile("data/figures.json", export.figures_json(reports)))
    files += tuple(DataFile(path, content) for path, content in embed.site_embeds(reports, _public_url()))
    return tuple(site_pages(reports, compare(reports))), files


def nav(site: Site) -> list:
    """The MkDocs navigation: home, each report with its pages, comparisons, glossary, about."""
    reports = [{nav_name(part.report): [{page.title: page.path} for page in part.pages]} for part in site.reports]
    titles = {page.path: page.title for page in site.pages}
    return [{titles["index.md"]: "index.md"}, {"各地报告": reports}, {titles["compare.md"]: "compare.md"},
            {titles["glossary.md"]: "glossary.md"}, {"关于本站": "about.md"}]


def walk_order(path: str) -> list:
    """The place of a file in MkDocs's walk of docs_dir (files before subfolders, index first, by name).

    Generated files are sorted into this order so that the build gives the same bytes
    (search index included) as plain MkDocs building the exported folder.
    """
    *folders, name = path.replace("\\", "/").split("/")
    stem = name.rsplit(".", 1)[0]
    return [(1, folder) for folder in folders] + [(0, stem not in ("index", "README"), name)]


def epoch(reports: list[Report]) -> int:
    """The site's timestamp (for the sitemap): the newest report date, so the same inputs give the same bytes."""
    stamps = []
    for report in reports:
        for stamp in (report.published, report.delivered):
            try:
                stamps.append(dt.datetime.fromisoformat(stamp).replace(tzinfo=CHINA_TIME))
            except (TypeError, ValueError):
                continue
    newest = max(stamps, default=dt.datetime(2000, 1, 1, tzinfo=CHINA_TIME))
    return int(newest.timestamp())
