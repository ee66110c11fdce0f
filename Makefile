# Two commands on a fresh machine: `make site` builds the site, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMPS := .stamps
CHROMIUM := /usr/bin/chromium
ECHARTS_BUILD := build/echarts.min.js  # the site's own ECharts (rule below)
SHARE_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc  # the CJK font share images are drawn in
# mkdocs-material's end-of-life banner is not a build problem; keep the log for real ones.
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test a11y bench clean deps

site: deps  ## Set up everything and build the site into site/
	$(PY) -m build_scripts build

serve: deps  ## Preview the site with live reload
	$(PY) -m mkdocs serve

test: deps $(STAMPS)/test-deps $(CHROMIUM)  ## Install what the tests need and run them all
	$(PY) -m pytest

a11y: deps $(STAMPS)/test-deps $(CHROMIUM)  ## axe-core on every page of the site, light and dark (make test checks each page type)
	A11Y_PAGES=all $(PY) -m pytest tests/test_accessibility.py

bench: deps  ## Measure cleaning, extraction and build speed (medians)
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

deps: $(STAMPS)/python-deps $(STAMPS)/node-deps $(ECHARTS_BUILD) $(SHARE_FONT)

$(STAMPS)/python-deps: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	mkdir -p $(STAMPS) && touch $@

$(STAMPS)/test-deps: requirements-test.txt $(STAMPS)/python-deps
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

# ECharts is pinned in package-lock.json with its integrity hash; npm ci checks it.
$(STAMPS)/node-deps: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	mkdir -p $(STAMPS) && touch $@

# The site's own ECharts: only the parts the charts use (build_scripts/echarts/entry.js), bundled
# from the pinned echarts package by the pinned esbuild; the build copies it (git-ignored build/).
$(ECHARTS_BUILD): build_scripts/echarts/entry.js $(STAMPS)/node-deps
	mkdir -p $(dir $@)
	node_modules/.bin/esbuild $< --bundle --minify --format=iife --global-name=echarts --target=es2017 \
	  --define:process.env.NODE_ENV='"production"' --legal-comments=eof --log-level=warning \
	  --banner:js='/*! ECharts 6.0.0 (Apache-2.0), custom build: build_scripts/echarts/entry.js */' --outfile=$@

# Debian's WenQuanYi Micro Hei, pinned, for the charts' share images (build_scripts/share_image.py): the build
# draws them with this one font file, so they look the same on every machine.
$(SHARE_FONT):
	apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-wqy-microhei=0.2.0-beta-3.1

# Debian's Chromium for the browser tests (Playwright's own browser download is not reachable).
$(CHROMIUM):
	apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium

clean:
	rm -rf site .site.staging-* .site.previous .site.discarded-* $(STAMPS)
