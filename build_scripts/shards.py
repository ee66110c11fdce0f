"""Build the site in shards: the reports of one year and province, rendered by MkDocs on their own, and the site-wide pages.

A site of thousands of reports cannot go through one MkDocs run: it holds every page in memory,
and adding one report would render all of them again. So the site model (``site.py``) is cut into
shards, each rendered by its own MkDocs build (the same config and hook) in a worker process, and
the outputs are put together:

- a **report shard** holds the pages and files of every report of one year and province (the
  targets page of a report, made with the site-wide pages, goes with its report);
- the **site shard** holds the site-wide pages and files, the docs folder and the theme's assets.

A shard's pages must not depend on anything outside it that its key does not hold. What MkDocs
takes from the rest of the site is the navigation, which the theme prunes (``navigation.prune``): a
page shows its own report's pages, the reports of its province, the provinces of its year and the
years, each collapsed to a link to its first page. So a shard gets the navigation as its pages show
it (``visible_nav``): every section holding one of its pages whole, every other one cut to its first
and last page (the link it shows, and the neighbours of the footer's previous and next links). The
rest of the site's pages and downloads are there as excluded files, so links to them resolve, but
MkDocs neither reads nor writes them. The shard's key is a hash of that navigation, its files'
contents, the config, the docs folder, the theme overrides and the code: an unchanged shard's
output is taken from the cache (``shards/<key>/``), so adding a report renders its shard, the
shards whose navigation it changes (its neighbours) and the site shard.

Each rendered shard's pages are indexed for search on their own (a search part, kept in the cache's
``search-parts/`` under the shard's key and the bucket count: build_scripts/search_index.py), and
the site's search buckets are the parts put together, so only the shards rendered are indexed again.

The sitemap is each shard's, merged in MkDocs's order; the 404 page is the site shard's. Pages and
bytes are those of one MkDocs build of the whole site (``tests/test_markdown_export.py`` compares
them with plain MkDocs on the export).
"""
from __future__ import annotations

import gzip
import hashlib
import logging
import multiprocessing
import os
import pickle
import re
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from . import places, search_index, settings
from .cache import Cache, Spool, code_version, workers
from .errors import InputError
from .pages import Page, report_page_paths
from .site import DataFile, report_data_paths, walk_order

SITE_SHARD = "site"
# The cache's kinds whose entries a later edit makes useless (records are kept: a template edit needs them).
PRUNED_KINDS = ("parts", "site", "share-images")
SITEMAP = "sitemap.xml"
ERROR_PAGE = "404.html"
_URL_BLOCK = re.compile(r"\n\s*<url>.*?</url>", re.S)
_current: Optional["Shard"] = None  # the shard a worker's MkDocs build renders (read by the hook)
log = logging.getLogger("mkdocs.plugins.explainer")


@dataclass(frozen=True)
class Shard:
    """One MkDocs build's share of the site: its pages and files, and the navigation as they show it."""

    name: str  # for messages: "site" or year/province
    nav: list
    pages: tuple[Page, ...]  # rendered by this shard (their Markdown in memory, or waiting in the build's spool)
    files: tuple[DataFile, ...]  # copied by this shard (their bytes in memory, or waiting in the build's spool)
    known: tuple[str, ...]  # the rest of the site's pages and downloads: link targets, neither read nor written
    with_docs: bool  # whether the docs folder's files and the theme's assets are this shard's
    epoch: int  # the site's timestamp (sitemap dates)

    def own_paths(self) -> list[str]:
        """The paths this shard renders or copies."""
        return [page.path for page in self.pages] + [data.path for data in self.files]


def current() -> Optional[Shard]:
    """The shard this process's MkDocs build is rendering, or None for a build of the whole site."""
    return _current


def group_of(report) -> str:
    """The shard a report's pages go to: its year and the province it is filed under."""
    _, province = places.filed_under(report.place)
    return f"{report.year or '年份不明'}/{province}"


def visible_nav(nav: list, wanted: set) -> list:
    """The navigation as the pages ``wanted`` show it with the theme's pruning.

    A section holding one of them is kept whole. Any other is cut to the way to its first page (the
    link a pruned section shows) and to the pages just before and after a wanted one (the footer's
    previous and next links): so adding a report changes the navigation of its own shard and of its
    neighbours', not of every shard.
    """
    flat = list(_leaves(nav))
    near = set()
    for n, path in enumerate(flat):
        if path in wanted:
            near.update(flat[max(n - 1, 0):n + 2])
    return _visible(nav, wanted, near)


def _visible(items: list, wanted: set, near: set) -> list:
    visible = []
    for entry in items:
        (title, value), = entry.items()
        if isinstance(value, str):
            visible.append({title: value})
        elif _holds(value, wanted):
            visible.append({title: _visible(value, wanted, near)})
        else:
            visible.append({title: _pruned(value, near)})
    return visible


def _pruned(items: list, near: set, first: bool = True) -> list:
    """A pruned section's entries: the way to its first page (when ``first``) and to the pages in ``near``."""
    kept = []
    for n, entry in enumerate(items):
        (title, value), = entry.items()
        on_first = first and n == 0
        if isinstance(value, str):
            if on_first or value in near:
                kept.append({title: value})
        elif on_first or _holds(value, near):
            kept.append({title: _pruned(value, near, on_first)})
    return kept


def _holds(items: list, paths: set) -> bool:
    return any(path in paths for path in _leaves(items))


def _leaves(items: list) -> Iterator[str]:
    for entry in items:
        (value,) = entry.values()
        if isinstance(value, str):
            yield value
        else:
            yield from _leaves(value)


def plan(model, nav: list, epoch: int) -> list[Shard]:
    """The site model cut into shards: one per year and province of reports, in site order, then the site shard."""
    owner = {part.report.slug: group_of(part.report) for part in model.reports}
    groups: dict[str, tuple[list, list]] = {}
    for part in model.reports:
        pages, files = groups.setdefault(owner[part.report.slug], ([], []))
        pages += part.pages
        files += part.files
    site_pages, site_files = [], []
    for page in model.pages:
        # A page the site-wide part makes in a report's folder (its targets) is that report's.
        group = owner.get(page.path.split("/", 1)[0])
        (groups[group][0] if group else site_pages).append(page)
    site_files += model.files
    known = [path for part in model.reports
             for path in report_page_paths(part.report) + report_data_paths(part.report)]
    known += [page.path for page in model.pages] + [data.path for data in model.files if data.path.startswith("data/")]
    shards = [_shard(name, pages, files, known, nav, epoch, with_docs=False) for name, (pages, files) in groups.items()]
    return shards + [_shard(SITE_SHARD, site_pages, site_files, known, nav, epoch, with_docs=True)]


def _shard(name: str, pages: list, files: list, known: list, nav: list, epoch: int, with_docs: bool) -> Shard:
    own = {page.path for page in pages} | {data.path for data in files}
    wanted = {page.path for page in pages}
    return Shard(name, visible_nav(nav, wanted), tuple(pages), tuple(files),
                 tuple(path for path in dict.fromkeys(known) if path not in own), with_docs, epoch)


def shard_key(shard: Shard, rendered_with: str) -> str:
    """What a shard's output depends on: its navigation, pages and files, the code, and ``rendered_with``
    (``site_inputs``: the config, docs and theme overrides, the same for every shard of a build).

    The other pages' paths (``known``) are left out: they only resolve links, whose targets are
    named by the shard's own pages, and a link to a page that is gone fails the shard's build.
    """
    digest = hashlib.sha256(code_version().encode("ascii"))
    digest.update(pickle.dumps((shard.name, shard.nav, shard.with_docs, shard.epoch), protocol=4))
    for item in (*shard.pages, *shard.files):
        digest.update(item.path.encode("utf-8") + b"\0" + item.digest().encode("ascii"))
    digest.update(rendered_with.encode("ascii"))
    return digest.hexdigest()


def search_part_key(shard_key: str, buckets: int) -> str:
    """What a shard's search part depends on: the shard's output (its key) and the number of buckets."""
    return hashlib.sha256(f"{shard_key} {buckets}".encode("ascii")).hexdigest()


def site_inputs(config_file: Path) -> str:
    """A hash of what every page is rendered with besides the code: the config, docs, theme and npm packages."""
    import material
    import mkdocs

    digest = hashlib.sha256(f"{mkdocs.__version__} {getattr(material, '__version__', '')}".encode("ascii"))
    digest.update(config_file.read_bytes())
    root = config_file.resolve().parent
    lock = root / "package-lock.json"  # the pinned ECharts the site shard copies
    digest.update(lock.read_bytes() if lock.is_file() else b"")
    for folder in (root / "docs", root / "overrides"):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()


def render(shard: Shard, config_file: str, out_dir: str) -> None:
    """Render one shard with MkDocs into ``out_dir`` (in a worker): its pages and files, the rest only as link targets."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    global _current
    _current = shard
    try:
        build(load_config(config_file, site_dir=out_dir, strict=True))
    finally:
        _current = None


def build_site(config_file: Path, out_dir: Path, cache: Cache) -> None:
    """The whole site into ``out_dir``: gather the model, render each shard that changed, put the shards together."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from . import site

    if not uses_this_hook(Path(config_file)):
        # A site of hand-written pages only (no reports to shard): one plain MkDocs build.
        build(load_config(str(config_file), site_dir=str(out_dir), strict=True))
        return
    started = time.perf_counter()
    docs_dir = Path(config_file).resolve().parent / "docs"
    renderer, store, parts = Renderer(), _ShardStore(cache, out_dir), _ShardStore(cache, out_dir, "search-parts")
    # The pages and data files wait on disk beside the shards (which the workers, or the cluster's, read and
    # write): in the cache's spool, where a rebuild finds those of unchanged reports, or the build's own.
    spool = Spool(cache.folder / "spool", kept=True) if cache.folder else Spool(store.folder)
    try:
        with site.start_seeds(settings.get("EXPLAINER_SEEDS"), cache, docs_dir, spool) as pending:
            model = pending.site()
            outlines = pending.outlines
        log.info(f"site model gathered in {time.perf_counter() - started:.1f} s{_peak()}")
        shards = plan(model, site.nav(outlines), site.epoch(outlines))
        del model, pending
        rendered_with = site_inputs(Path(config_file))  # read once: docs/ and overrides/ are the same for every shard
        keys = [shard_key(shard, rendered_with) for shard in shards]
        missing = [n for n, key in enumerate(keys) if not store.has(key)]
        log.info(f"{len(shards)} shards: {len(shards) - len(missing)} reused, {len(missing)} rendered")
        renderer.render([shards[n] for n in missing], [keys[n] for n in missing], str(config_file), store)
        log.info(f"shards rendered after {time.perf_counter() - started:.1f} s{_peak()}")
        buckets = search_index.bucket_count(sum(len(search_index.site_pages(store.path(key))) for key in keys))
        part_keys = [search_part_key(key, buckets) for key in keys]
        renderer.index([(shard, store.path(key)) for shard, key in zip(shards, keys)], part_keys, buckets, parts)
        log.info(f"search parts made after {time.perf_counter() - started:.1f} s{_peak()}")
        assemble([(shard, store.path(key)) for shard, key in zip(shards, keys)], out_dir)
        for key in part_keys:
            link_tree(parts.path(key) / "site", out_dir)
        search_index.write_index([parts.path(key) for key in part_keys], out_dir)
        log.info(f"shards put together after {time.perf_counter() - started:.1f} s{_peak()}")
        for kind in PRUNED_KINDS:
            cache.prune(kind)
    finally:
        renderer.close()
        spool.close()
        store.close()
        parts.close()


def _peak() -> str:
    """This process's peak memory so far, for the build's log (a site of thousands of reports is watched by it)."""
    import resource

    return f" (peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB)"


def uses_this_hook(config_file: Path) -> bool:
    """Whether a config runs this project's hook (only then are there reports, and shards, to build)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml may use tags (!ENV, !!python/name:…) that only MkDocs resolves: read them as plain values.
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load(Path(config_file).read_text(encoding="utf-8"), Loader=Loader) or {}
    hook = Path(__file__).resolve().parent / "hooks.py"
    return any((Path(config_file).resolve().parent / str(path)).resolve() == hook for path in config.get("hooks") or [])


class Renderer:
    """Where shards are rendered: worker processes of this machine, or the Dask cluster of ``EXPLAINER_SCHEDULER``.

    The local workers are forked when the renderer is made, before the site model is gathered, so
    each holds only the shards it is sent, not a copy of the whole model.
    """

    def __init__(self):
        from . import cluster

        address = settings.get("EXPLAINER_SCHEDULER")
        self._client = cluster.connect(address) if address else None
        self._pool = None
        if self._client is None and workers() > 1 and sys.platform == "linux":
            self._pool = ProcessPoolExecutor(max_workers=workers(), mp_context=multiprocessing.get_context("fork"))
            self._pool.submit(int).result()  # with fork, every worker starts at the first task: now

    def render(self, shards: list[Shard], keys: list[str], config_file: str, store: "_ShardStore") -> None:
        """Render the shards and keep each output (the largest first, so that none is left for last)."""
        order = sorted(range(len(shards)), key=lambda n: -sum(page.size() for page in shards[n].pages))
        jobs = [(shards[n], str(Path(config_file).resolve()), store.temporary(keys[n])) for n in order]
        for n, made in zip(order, self.map(render_job, jobs, [f"shard-{keys[n]}" for n in order])):
            store.keep(keys[n], made)

    def index(self, outputs: list[tuple[Shard, Path]], keys: list[str], buckets: int, parts: "_ShardStore") -> None:
        """Make the search part of each rendered shard that has none kept (build_scripts/search_index.py)."""
        missing = [n for n, key in enumerate(keys) if not parts.has(key)]
        jobs = [(str(outputs[n][1]), outputs[n][0].name, buckets, parts.temporary(keys[n])) for n in missing]
        for n, made in zip(missing, self.map(search_index.make_part_job, jobs, [f"search-{keys[n]}" for n in missing])):
            parts.keep(keys[n], made)

    def map(self, function, jobs: list, names: list[str]) -> Iterator:
        """``function(job)`` for each job, in order: on the cluster, on the local workers, or here."""
        from . import cluster

        if self._client is not None:
            futures = [cluster.submit(self._client, function, job, name) for job, name in zip(jobs, names)]
        elif self._pool is not None:
            futures = [self._pool.submit(function, job) for job in jobs]
        else:
            futures = None
        try:
            for n, job in enumerate(jobs):
                yield futures[n].result() if futures else function(job)
        except BaseException:
            for future in futures or []:
                future.cancel()
            raise

    def close(self) -> None:
        """Stop the workers, or leave the cluster."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        if self._client is not None:
            self._client.close()


def render_job(job: tuple) -> str:
    """One shard rendered into its folder (a worker's task): returns the folder."""
    shard, config_file, out_dir = job
    started = time.perf_counter()
    render(shard, config_file, out_dir)
    log.info(f"shard {shard.name}: {len(shard.pages)} pages rendered in {time.perf_counter() - started:.1f} s")
    return out_dir


class _ShardStore:
    """Where rendered shards are kept: the cache's ``shards/`` folder, or a folder of this build only.

    A kept output is a folder named by its key, renamed into place only when complete, with a
    ``MANIFEST`` of its files and sizes: an output with a file missing or of another size is rendered
    again. An output unused for ``KEEP_DAYS`` days, and a half-written one a killed build left, are
    deleted by a later build.
    """

    MANIFEST = "MANIFEST"
    KEEP_DAYS = 14

    def __init__(self, cache: Cache, out_dir: Path, kind: str = "shards"):
        # Without a cache the outputs live in the site's own staging folder, which a killed build's
        # successor deletes, and leave it before the site is put together (``close``).
        self._own = None if cache.folder else Path(out_dir) / f".{kind}"
        self.folder = (cache.folder / kind) if cache.folder else self._own
        self.folder.mkdir(parents=True, exist_ok=True)

    def path(self, key: str) -> Path:
        """The folder of the output of ``key``."""
        return self.folder / key

    def has(self, key: str) -> bool:
        """Whether an intact output of ``key`` is kept; it counts as used now."""
        folder = self.path(key)
        try:
            listed = (folder / self.MANIFEST).read_text(encoding="utf-8").splitlines()
            intact = all((folder / path).stat().st_size == int(size)
                         for path, size in (line.rsplit("\t", 1) for line in listed))
        except (OSError, ValueError):
            intact = False
        if intact:
            os.utime(folder)
        elif folder.exists():
            shutil.rmtree(folder, ignore_errors=True)
        return intact

    def temporary(self, key: str) -> str:
        """A new folder to render the output of ``key`` into."""
        return tempfile.mkdtemp(prefix=f".{key}-", dir=self.folder)

    def keep(self, key: str, made: str) -> None:
        """List the finished output of ``key`` and move it into place (another build may have kept it first)."""
        files = sorted(p for p in Path(made).rglob("*") if p.is_file())
        (Path(made) / self.MANIFEST).write_text(
            "".join(f"{p.relative_to(made).as_posix()}\t{p.stat().st_size}\n" for p in files), encoding="utf-8")
        try:
            os.rename(made, self.path(key))
        except OSError:  # the same output is there already
            shutil.rmtree(made, ignore_errors=True)

    def prune(self) -> None:
        """Delete outputs no build has used for ``KEEP_DAYS`` days, and half-written ones over a day old."""
        now = time.time()
        for entry in self.folder.iterdir():
            age = now - entry.stat().st_mtime
            if age > (86400 if entry.name.startswith(".") else self.KEEP_DAYS * 86400):
                shutil.rmtree(entry, ignore_errors=True)

    def close(self) -> None:
        """Delete a build's own outputs (the site holds links to their files)."""
        if self._own is not None:
            shutil.rmtree(self._own, ignore_errors=True)
        else:
            self.prune()


def assemble(outputs: list[tuple[Shard, Path]], out_dir: Path) -> None:
    """Put the shards' outputs together into ``out_dir``: each its own files, one 404 page, one sitemap."""
    out_dir = Path(out_dir)
    owners: dict[str, str] = {}
    sitemaps = []
    for shard, folder in outputs:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            relative = path.relative_to(folder).as_posix()
            if relative in (SITEMAP, SITEMAP + ".gz", _ShardStore.MANIFEST) or (relative == ERROR_PAGE and not shard.with_docs):
                continue
            if relative in owners:
                raise InputError(relative, f"written by two shards ({owners[relative]} and {shard.name})")
            owners[relative] = shard.name
            _link(path, out_dir / relative)
        pages = sorted((page.path for page in shard.pages), key=walk_order)
        sitemaps.append((shard, pages, (folder / SITEMAP).read_text(encoding="utf-8")))
    _write_sitemap(sitemaps, out_dir, next(folder for shard, folder in outputs if shard.with_docs))


def link_tree(folder: Path, out_dir: Path) -> None:
    """Put every file of ``folder`` in the site at the same place (a search part's page lists and passages)."""
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        _link(path, Path(out_dir) / path.relative_to(folder))


def _link(source: Path, target: Path) -> None:
    """Put a shard's file in the site: a hard link to the kept output (no copy), or a copy across file systems."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _write_sitemap(sitemaps: list, out_dir: Path, site_folder: Path) -> None:
    """The site's sitemap: every shard's entries, in the order MkDocs lists the pages (the walk order)."""
    entries, head, tail = [], None, None
    for shard, pages, text in sitemaps:
        blocks = _URL_BLOCK.findall(text)
        if blocks and len(blocks) != len(pages):
            raise InputError(shard.name, f"its sitemap lists {len(blocks)} pages, the shard has {len(pages)}")
        entries += list(zip(pages, blocks))
        if shard.with_docs:
            head, tail = text.split("</urlset>")[0], "</urlset>" + text.split("</urlset>")[1]
            head = _URL_BLOCK.sub("", head)
    text = head + "".join(block for _, block in sorted(entries, key=lambda entry: walk_order(entry[0]))) + tail
    (out_dir / SITEMAP).write_text(text, encoding="utf-8")
    # gzipped as MkDocs does, with the site shard's timestamp (the reports' newest date)
    mtime = int.from_bytes((site_folder / (SITEMAP + ".gz")).read_bytes()[4:8], "little")
    gz_name = str(out_dir / (SITEMAP + ".gz"))
    with open(gz_name, "wb") as handle, gzip.GzipFile(fileobj=handle, filename=gz_name, mode="wb", mtime=mtime) as gz:
        gz.write(text.encode("utf-8"))
