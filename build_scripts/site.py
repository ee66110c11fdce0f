"""The site model: every report's pages and data files, and the site-wide views, gathered before anything is written.

As MkDocs gathers its files first, the hook (and ``export``) ask this module for the
whole site, then add or write it in one go. Each report's part is a pure function of
its record, so it is cached with the record's hash: an unchanged report costs nothing.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import pickle
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

from . import embed, export, glossary, pipeline, places, search_index, settings, share_image
from .cache import Batch, Cache, Spool, input_key
from .compare import compare, provincial
from .model import Report
from .promises import paired_slugs, promises, promises_json
from .pages import (SITE_PAGE_TITLES, Page, compare_paths, compare_year_path, compare_years, nav_name, report_order,
                    report_page_paths, report_page_titles, report_pages, report_targets_path, site_pages)

CHINA_TIME = dt.timezone(dt.timedelta(hours=8))


@dataclass(frozen=True)
class DataFile:
    """A generated file that is not a page (CSV, JSON): its path in the site and its bytes, or where they wait on disk."""

    path: str
    data: bytes = b""
    spooled: str = ""  # the file of a ``Spool`` holding the bytes, when the build does not keep them in memory

    @property
    def content(self) -> bytes:
        """The file's bytes."""
        return Path(self.spooled).read_bytes() if self.spooled else self.data

    def digest(self) -> str:
        """The SHA-256 of the bytes (a spooled file is named by it)."""
        return Path(self.spooled).name if self.spooled else hashlib.sha256(self.data).hexdigest()

    def spool(self, spool: Optional[Spool]) -> "DataFile":
        """The same file with its bytes on disk (``spool``), or as it is without one."""
        return DataFile(self.path, spooled=spool.keep(self.data)) if spool and not self.spooled else self


@dataclass(frozen=True)
class ReportSite:
    """One report's share of the site: its record, pages and data files."""

    report: Report
    pages: tuple[Page, ...]
    files: tuple[DataFile, ...]  # its figures.csv and figures.json first (the site's tables join them)
    embeds: tuple[embed.Embed, ...] = ()  # the embeds it offers (the site lists them all)

    def spool(self, spool: Optional[Spool]) -> "ReportSite":
        """The same share with its pages and data files on disk (``spool``): the build holds the record only."""
        if spool is None:
            return self
        return replace(self, pages=tuple(page.spool(spool) for page in self.pages),
                       files=tuple(data.spool(spool) for data in self.files))

    def intact(self) -> bool:
        """Whether every spooled page and file of the share is still on disk (a spool deletes files long unused)."""
        return all(Spool.still_there(item.spooled) for item in (*self.pages, *self.files) if item.spooled)


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
    record = json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"
    contents = (export.figures_csv([report]), export.figures_json([report]), record.encode("utf-8"))
    files = tuple(DataFile(path, content) for path, content in zip(report_data_paths(report), contents))
    files += tuple(DataFile(path, content) for path, content in embed.report_embeds(report, _public_url()))
    return ReportSite(report, tuple(report_pages(report)), files, tuple(embed.report_embed_list(report)))


def report_data_paths(report: Report) -> list[str]:
    """The report's data downloads, which its pages link to: known from the parsed report alone."""
    return [f"{report.slug}/data/{name}" for name in ("figures.csv", "figures.json", "report.json")]


# The site-wide data downloads, which the home page links to. The lists of reports and their figures are
# downloads of each year and province (export.REPORTS_SHARDS and FIGURE_SHARDS, which the reports browser
# offers), so that none grows with the whole site; the index names them.
REPORTS_INDEX = export.REPORTS_SHARDS + "index.json"  # the index of the reports' lists, one a year and province
PROMISES_PATH = "data/promises.json"  # each target against the next year's result (build_scripts/promises.py)
SITE_DOWNLOADS = (REPORTS_INDEX, PROMISES_PATH)  # the site-wide files whose address pages may link to


def _public_url() -> str:
    return settings.get("EXPLAINER_SITE_URL")


def _page_inputs() -> tuple[bytes, bytes]:
    """What a report's pages depend on besides its record and the code: the public URL (written into the
    embed files) and what draws the share images (files outside build_scripts)."""
    return _public_url().encode("utf-8"), share_image.drawing_version().encode("ascii")


@dataclass(frozen=True)
class SeedJob:
    """A worker's unit of work: one seed, and its record (under the seed's name) when the cache has it."""

    path: Path
    record: Optional[Report] = None


def seed_site(job: SeedJob) -> ReportSite:
    """One seed's share of the site: its record processed (or taken from the job) and paged by the same worker."""
    return report_site(job.record or pipeline.load_published(job.path))


def warm_up() -> None:
    """Load what every worker needs, pages included, by making one small report's share of the site."""
    report_site(pipeline.warm_up())


# What MkDocs, mkdocs-material and the search index write at the top of every site besides the docs
# folder's files: the theme's assets, the search index, the error page, the sitemap.
THEME_NAMES = ("assets", search_index.OUTPUT, "404", "sitemap")


def reserved_names(docs_dir: Optional[Path] = None) -> frozenset:
    """The site's own top-level names, in lower case: a report under one would replace (or hide in) a site page.

    The site-wide pages and downloads, the embeds, the theme's files and whatever the docs folder holds
    (about.md, javascripts/ …): a page an editor adds there is reserved from then on.
    """
    docs_dir = Path(docs_dir) if docs_dir else settings.ROOT / "docs"
    generated = [*SITE_PAGE_TITLES, *SITE_DOWNLOADS, embed.FOLDER, embed.ECHARTS_PATH]
    names = [path.split("/")[0] for path in generated] + [p.name for p in docs_dir.iterdir()] + list(THEME_NAMES)
    return frozenset(Path(name).stem.lower() for name in names)


def gather_seeds(seeds_dir: Path, cache: Optional[Cache] = None, docs_dir: Optional[Path] = None) -> Site:
    """The whole site from a folder of seeds; unchanged seeds' shares come from the cache, the others are made in parallel."""
    with start_seeds(seeds_dir, cache, docs_dir) as pending:
        return pending.site()


def start_seeds(seeds_dir: Path, cache: Optional[Cache] = None, docs_dir: Optional[Path] = None,
                spool: Optional[Spool] = None) -> "PendingSite":
    """Start making the site from a folder of seeds and return at once, with every report's outline.

    A seed's share is a pure function of what keys its record (seed, overrides, settings, code), of the
    public URL and of what draws the share images (``_page_inputs``), so it is cached under those; the
    site-wide part under all of them. The others go to the workers in reading order (``work_order``), so the build can read
    the first reports' pages while the workers make the next ones. A seed that cannot be parsed, or whose
    name cannot be an address of this site (``reserved_names`` of ``docs_dir``), stops the build here.
    With a ``spool``, the pages and data files of every share, and the site-wide ones, wait there on disk
    rather than in memory (a site of thousands of reports holds gigabytes of them).
    """
    cache = cache or Cache(None)
    paths = pipeline.seed_paths(seeds_dir, reserved_names(docs_dir))
    record_keys = [pipeline.report_key(p) for p in paths]
    inputs = _page_inputs()
    keys = [input_key(k.encode("ascii"), pipeline.published_path(p).encode("utf-8"), *inputs)
            for k, p in zip(record_keys, paths)]
    batch = cache.batch("parts", keys, expected=ReportSite, held=lambda part: part.spool(spool),
                        intact=ReportSite.intact)
    # A seed whose pages must be made again may still have its record: a template or chart rule changed.
    missing = [n for n in range(len(paths)) if n not in batch.values]
    records = cache.batch("reports", [record_keys[n] for n in missing], expected=Report).values
    jobs = [SeedJob(path) for path in paths]
    for m, n in enumerate(missing):
        if m in records:
            jobs[n] = SeedJob(paths[n], pipeline.as_seed(records[m], paths[n]))
    outlines = [batch.values[n].report if n in batch.values else jobs[n].record or pipeline.outline(path)
                for n, path in enumerate(paths)]
    order = sorted(range(len(paths)), key=lambda n: report_order(outlines[n]))
    site_outlines = [outlines[n] for n in order]
    reading = work_order(site_outlines)
    batch.start(seed_site, jobs, prepare=warm_up, order=[order[position] for position in reading])
    if len(batch.values) < len(paths):
        # The site-wide pages will be made again, in this process, after every worker has finished:
        # what they need is loaded now, while this process would otherwise wait for the first report.
        glossary.pinyin_reader()
    unsaved = {n: record_keys[n] for n in missing if jobs[n].record is None}
    return PendingSite(batch, order, site_outlines, reading, cache, unsaved, spool)


def work_order(outlines: list[Report]) -> list[int]:
    """The positions of the reports in the order to make and read them: the likely slowest first.

    A slow report made last keeps the build waiting while the other workers have nothing left to do.
    News articles come first: content farms spin them, and cleaning spun text costs most (its residual
    suspects need jieba's tagger, about a second). Then the longest texts. Only the timing depends on
    this order, never the site.
    """
    def likely_cost(position: int) -> tuple:
        report = outlines[position]
        return (report.shape != "article", -sum(len(block.raw) for block in report.blocks), position)

    return sorted(range(len(outlines)), key=likely_cost)


class PendingSite:
    """The site while the workers make it: every report's outline at once, its share when it is ready."""

    def __init__(self, batch: Batch, order: list[int], outlines: list[Report], reading: list[int], cache: Cache,
                 unsaved: Optional[dict[int, str]] = None, spool: Optional[Spool] = None):
        self._batch, self._order, self.cache, self._spool = batch, order, cache, spool
        self._unsaved = dict(unsaved or {})  # seed number → record key, for records made in this build
        self.outlines = outlines  # parsed only, in site order: enough for the navigation and page titles
        self._reading = reading  # the positions in the order the workers make them
        self._site: Optional[Site] = None
        self._positions = {report.slug: position for position, report in enumerate(outlines)}
        # Pages in a report's folder that the site-wide part makes: they need the report of the year before or after;
        # and the compare pages of each year and of its indicators.
        self._site_made = {report_targets_path(slug) for slug in paired_slugs(outlines)}
        self._site_made |= set(compare_paths(outlines))

    def part(self, position: int) -> ReportSite:
        """The share of the report at ``position`` in site order, waiting for its worker if need be."""
        n = self._order[position]
        part = self._batch.get(n)
        if n in self._unsaved:  # the record too, so the next build with other templates reuses it
            self.cache.put("reports", self._unsaved.pop(n), part.report)
        outline = self.outlines[position]
        if (nav_name(part.report), part.report.slug) != (nav_name(outline), outline.slug):
            raise RuntimeError(f"{outline.source}: a stage changed the report's name or address after parsing")
        return part

    def known_paths(self) -> list[str]:
        """Every page and data download whose address is known before any report is processed, in reading order.

        Each report's, in the order the workers make them, then the site-wide ones, which need every
        report. Other files (the embeds, named after the charts a report turns out to have) are only
        known from ``site()``.
        """
        reports = [self.outlines[position] for position in self._reading]
        paths = [path for report in reports
                 for path in report_page_paths(report) + report_data_paths(report)]
        return paths + list(SITE_PAGE_TITLES) + sorted(self._site_made) + list(SITE_DOWNLOADS)

    def content(self, path: str):
        """The text or bytes of one generated page or data file, waiting for the report it belongs to."""
        position = self._positions.get(path.split("/", 1)[0])
        if path in SITE_PAGE_TITLES or path in SITE_DOWNLOADS or path in self._site_made or position is None:
            site = self.site()
            pages, files = site.pages, site.files
        else:
            part = self.part(position)
            pages, files = part.pages, part.files
        found = {page.path: page for page in pages} | {data.path: data for data in files}
        if path not in found:
            raise KeyError(f"{path}: the site model made no such page or file")
        return found[path].read() if isinstance(found[path], Page) else found[path].content

    def site(self) -> Site:
        """The whole site, once every report's share is ready."""
        if self._site is None:
            # Taken in the order the workers make them: a finished share waits whole in memory (pages and
            # files, before ``held`` spools them) until it is taken, and taking them in site order left
            # hundreds waiting behind the first report at a thousand reports.
            taken = {position: self.part(position) for position in self._reading}
            parts = [taken[position] for position in range(len(self.outlines))]
            self._site = _assemble(parts, [self._batch.keys[n] for n in self._order], self.cache, self._spool)
        return self._site

    def close(self) -> None:
        """Stop the workers: the build has everything, or failed."""
        self._batch.close()

    def __enter__(self) -> "PendingSite":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def gather(reports: list[Report], cache: Optional[Cache] = None) -> Site:
    """The whole site from the processed reports; unchanged parts (a report's, the site-wide) come from the cache."""
    cache = cache or Cache(None)
    ordered = sorted(reports, key=report_order)
    inputs = _page_inputs()
    keys = [input_key(pickle.dumps(r, protocol=4), *inputs) for r in ordered]
    return _assemble(cache.get_or_make_all("pages", keys, report_site, ordered, expected=ReportSite), keys, cache)


def _assemble(parts: list[ReportSite], keys: list[str], cache: Cache, spool: Optional[Spool] = None) -> Site:
    """The site from every report's share, in site order; the site-wide part is cached under all their keys."""
    pages, files = cache.get_or_make("site", input_key(*(k.encode("ascii") for k in keys)),
                                     lambda: site_wide(parts, cache), expected=tuple)
    return Site(tuple(parts), tuple(page.spool(spool) for page in pages), tuple(data.spool(spool) for data in files))


def site_wide(parts: list[ReportSite], cache: Optional[Cache] = None) -> tuple[tuple[Page, ...], tuple[DataFile, ...]]:
    """The pages and data files about all reports: home, comparisons, glossary, the lists and the figures by shard.

    The figure tables of each year and province join the reports' own (in slug order, as ``export``
    sorts them): they are made once per report, in the workers, instead of again here. The compare
    charts' share images are kept in ``cache``: a report added changes the charts of its year only.
    """
    reports = [part.report for part in parts]
    tables = {part.report.slug: part.files[:2] for part in parts}
    shards = export.report_shards(reports, lambda report: places.filed_under(report.place), places.filing_order(),
                                  lambda slug: tuple(data.content for data in tables[slug]))
    files = tuple(DataFile(path, content) for path, content in shards)
    comparisons = compare(provincial(reports))
    compared, compare_embeds = embed.comparison_files(comparisons, _public_url(), share_image.kept_drawer(cache or Cache(None)))
    embeds = [e for part in parts for e in part.embeds] + compare_embeds
    files += tuple(DataFile(path, content) for path, content in compared)
    files += tuple(DataFile(path, content) for path, content in embed.site_embeds(reports, _public_url(), embeds=embeds))
    found = promises(reports)
    files += (DataFile(PROMISES_PATH, promises_json(found, embed.public_base(_public_url()))),)
    return tuple(site_pages(reports, comparisons, found)), files


def nav(outlines: list[Report]) -> list:
    """The MkDocs navigation from the reports' outlines in site order: home, the reports by year and province, comparisons, glossary, about.

    Reports are filed by year, then by province (``places``), so that with the theme's pruning a page
    carries the links of its own year's provinces and its own province's reports only, not the whole
    site's. A province with one report that year lists the report itself, without a group.
    The theme prints navigation titles as HTML, unescaped (in the menu, the path, the page's <title>),
    so a report's name is HTML-escaped here: a title such as <svg/onload=…> shows as the text it is.
    """
    titles = SITE_PAGE_TITLES
    return [{titles["index.md"]: "index.md"}, {"各地报告": [{titles["reports.md"]: "reports.md"}, *reports_nav(outlines)]},
            {titles["compare.md"]: [{titles["compare.md"]: "compare.md"},
                                    *[{f"{year}年": compare_year_path(year)} for year in compare_years(outlines)]]},
            {titles["targets.md"]: "targets.md"},
            {titles["glossary.md"]: "glossary.md"}, {"关于本站": "about.md"}]


def reports_nav(outlines: list[Report]) -> list:
    """The reports' part of the navigation: a group per year (site order), in it a group per province (official order)."""
    provinces = [name for _, name in places.filing_order()]
    paired = paired_slugs(outlines)
    years: dict[str, dict[str, list]] = {}
    for report in outlines:
        year = f"{report.year}年" if report.year else "年份不明"
        _, province = places.filed_under(report.place)
        pages = [{title: path} for path, title in report_page_titles(report, targets=report.slug in paired)]
        entry = {html.escape(nav_name(report)): pages}
        years.setdefault(year, {}).setdefault(province, []).append(entry)
    grouped = []
    for year, by_province in years.items():
        entries = []
        for province in sorted(by_province, key=provinces.index):
            reports = by_province[province]
            entries += reports if len(reports) == 1 else [{province: reports}]
        grouped.append({year: entries})
    return grouped


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
