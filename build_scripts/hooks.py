"""MkDocs hook: gather the whole site model from the seeds, then add its pages and data files to the build.

One method per MkDocs event, wiring only; the logic lives in the stages and ``site.py``.
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

# MkDocs loads this file by path, so make the package importable from the project root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from build_scripts import dictionary, embed, settings, shards, site  # noqa: E402
from build_scripts.cache import Cache  # noqa: E402
from build_scripts.errors import InputError  # noqa: E402
from build_scripts.pages import Page  # noqa: E402
from build_scripts.glossary import CjkAbbrExtension  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
_state: dict = {}
log = logging.getLogger("mkdocs.plugins.explainer")


def build_cache() -> Cache:
    """The cache of this build, or none when EXPLAINER_NO_CACHE asks for a cold build."""
    return Cache(None if settings.get("EXPLAINER_NO_CACHE") else settings.get("EXPLAINER_CACHE"))


class PendingFile(File):
    """A generated page or download whose content a worker may still be making: reading it waits for it.

    MkDocs reads pages one by one, so it converts the first reports' Markdown while the workers
    make the next reports: the build's two halves overlap instead of taking turns.
    """

    _make = None
    _made = None

    @property
    def _content(self):
        if self._make is not None:
            try:
                self._made, self._make = self._make(), None
            except InputError as err:
                raise PluginError(str(err)) from None
        return self._made

    @_content.setter
    def _content(self, value):
        self._made, self._make = value, None

    @classmethod
    def pending(cls, config, path: str, make) -> "PendingFile":
        """A file at ``path`` whose content is ``make()``, asked for when MkDocs first reads it."""
        file = cls.generated(config, path, content=b"")
        file._make = make
        return file


def on_startup(command, dirty):
    """Read jieba's dictionary before the search plugin adds the domain words to it.

    The search plugin would read it anyway; read here first, it also gives the cleaner its copy
    of the words as shipped, instead of a second read (half a second) in a worker.
    """
    dictionary.initialise()


def on_config(config):
    """Start processing every report and return at once with the navigation: the workers go on during the build.

    A seed that cannot be parsed stops the build here, before anything is written. A build of one
    shard (``shards.render``) has its pages already: it takes its navigation from the shard.
    """
    _close()
    # The stock abbr extension needs word boundaries, which Chinese text does not have.
    config["markdown_extensions"] = [CjkAbbrExtension() if e == "abbr" else e for e in config["markdown_extensions"]]
    shard = shards.current()
    if shard is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(shard.epoch)
        config["nav"] = shard.nav
        return config
    try:
        pending = site.start_seeds(settings.get("EXPLAINER_SEEDS"), build_cache(), Path(config["docs_dir"]))
    except InputError as err:
        # The message names the seed first: that is what the editor has to fix.
        raise PluginError(str(err)) from None
    _state["pending"] = pending
    # Same inputs, same bytes: the sitemap's dates come from the reports, not the clock.
    os.environ["SOURCE_DATE_EPOCH"] = str(site.epoch(pending.outlines))
    config["nav"] = site.nav(pending.outlines)
    return config


def on_files(files, config):
    """Add the generated pages and downloads (made as MkDocs reads them) and the self-hosted ECharts."""
    shard = shards.current()
    if shard is not None:
        return shard_files(shard, files, config)
    pending = _state["pending"]
    known = pending.known_paths()
    for path in known:
        files.append(PendingFile.pending(config, path, lambda path=path: pending.content(path)))
    files.append(echarts_file(config))
    # MkDocs reads pages in this order: each report's as its worker finishes it, the site-wide ones last.
    reading = {path: n for n, path in enumerate(known)}
    return Files(sorted(files, key=lambda file: (reading.get(file.src_uri, -1), site.walk_order(file.src_uri))))


def echarts_file(config) -> File:
    """The site's own ECharts build, as a file of the site; missing, it stops the build saying what to run."""
    if not embed.ECHARTS.is_file():
        raise PluginError(f"{embed.ECHARTS}: missing; run `make site` (it builds the site's ECharts from the pinned package)")
    return File.generated(config, embed.ECHARTS_PATH, abs_src_path=str(embed.ECHARTS))


def shard_files(shard, files, config):
    """A shard's files: its pages and downloads, the rest of the site as excluded link targets, the docs
    folder and the theme's assets only in the site shard; in MkDocs's order."""
    if not shard.with_docs:
        for file in files:
            file.inclusion = InclusionLevel.EXCLUDED
    else:
        files.append(echarts_file(config))
    for item in (*shard.pages, *shard.files):
        # A spooled page or file is read from the spool when MkDocs reads or copies it.
        files.append(File.generated(config, item.path, abs_src_path=item.spooled) if item.spooled
                     else File.generated(config, item.path, content=item.markdown if isinstance(item, Page) else item.data))
    for path in shard.known:
        files.append(File.generated(config, path, content=b"", inclusion=InclusionLevel.EXCLUDED))
    return Files(sorted(files, key=lambda file: site.walk_order(file.src_uri)))


def on_env(env, config, files):
    """Every page has been read: add the files only the finished site names (embeds), and put all in MkDocs's order."""
    if shards.current() is not None:
        return env
    pending = _state["pending"]
    model = pending.site()
    _close()
    reports = [part.report for part in model.reports]
    cache = pending.cache
    log.info(f"{len(reports)} reports; cache: {cache.hits} reused, {cache.misses} made")
    for report in reports:
        if report.suspects:
            # For editors: words that look spun but no lexicon entry covers (see the corrections pages).
            log.info(f"{report.source}: {len(report.corrections)} corrections, {len(report.suspects)} suspects")
    for page in model.all_pages():
        if files.get_file_from_path(page.path) is None:
            raise PluginError(f"{page.path}: made by the site model but missing from its outline")
    for data in model.all_files():
        if files.get_file_from_path(data.path) is None:
            files.append(File.generated(config, data.path, content=data.content))
    # The pages are written (and the search index and sitemap filled) in the order plain MkDocs walks
    # the exported folder, so both give the same bytes.
    for file in sorted(files, key=lambda file: site.walk_order(file.src_uri)):
        files.remove(file)
        files.append(file)
    return env


def on_build_error(error):
    """Stop the workers of a failed build."""
    _close()


def on_shutdown():
    """Stop the workers when MkDocs exits (``mkdocs serve`` stopped mid-build)."""
    _close()


def _close() -> None:
    if "pending" in _state:
        _state["pending"].close()
