// Search: the header's search box (overrides/partials/search.html) asks the site's own index
// (build_scripts/search_index.py), fetching only index.json, the bucket of each word typed, and the
// page lists and passages of the results it shows.
//
// It searches on every change of the box (the "input" event), so a word typed, pasted or
// chosen in a Chinese input method finds results at once, without a key being released.
// Results show the page's title, which names the report, and an excerpt with the words marked.
// Excerpts are report text: they are set as text, with <mark> elements around the words found.
(function () {
  "use strict";

  var PAGE = 10; // results shown at once; "更多结果" shows the next ones
  var WAIT_MS = 60; // let a fast typist finish a word before asking the index
  var EXCERPT = 60; // characters of a passage shown, from a little before the first hit
  var dialog = document.querySelector("[data-explainer-search]");
  if (!dialog) return;

  var toggle = document.getElementById("__search");
  var input = dialog.querySelector(".md-search__input");
  var form = dialog.querySelector("form");
  var meta = dialog.querySelector(".md-search-result__meta");
  var list = dialog.querySelector(".md-search-result__list");
  // Resolved against this page once: with instant navigation the same script serves every page.
  var indexUrl = new URL(dialog.getAttribute("data-search-index"), document.baseURI).href;
  var folder = new URL("./", indexUrl).href;
  var siteRoot = new URL("../", indexUrl).href;
  var PROMPT = "输入词语即可搜索";
  var asked = 0; // the number of the latest query: answers to older ones are dropped
  var timer = null;
  var results = [];
  var shown = 0;
  var fetched = {};

  // Each file of the index is fetched once per page view, however many queries need it.
  function fetchOnce(url, how) {
    if (!fetched[url]) {
      fetched[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error(url + ": " + response.status);
        return response[how]();
      });
      fetched[url].catch(function () { delete fetched[url]; });
    }
    return fetched[url];
  }

  function load() {
    return fetchOnce(indexUrl, "json");
  }

  // The query's words, split as build_scripts/search_index.py splits a page: Latin words and numbers
  // whole, a single Chinese character as itself, longer Chinese as pairs of neighbouring characters.
  // The pairs that cover the run are enough (老旧小区: 老旧, 小区; 鼓浪屿: 鼓浪, 浪屿): each is one
  // bucket to fetch, and a page holding them all holds the run but for a rare coincidence.
  var WORD = /[\u3400-\u9fff\uf900-\ufaff]+|[0-9a-z]+/g;
  function runsOf(text) {
    return text.normalize("NFKC").toLowerCase().match(WORD) || [];
  }
  function wordsOf(text) {
    var words = [];
    runsOf(text).forEach(function (run) {
      if (run[0] <= "z" || run.length === 1) return words.push(run);
      for (var n = 0; n + 1 < run.length; n += 2) words.push(run.slice(n, n + 2));
      if (run.length % 2) words.push(run.slice(-2));
    });
    return words.filter(function (word, n) { return words.indexOf(word) === n; });
  }

  var CRC = (function () {
    var table = [];
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table.push(c >>> 0);
    }
    return table;
  })();
  function bucketOf(word, buckets) {
    var bytes = new TextEncoder().encode(word);
    var c = 0xffffffff;
    for (var n = 0; n < bytes.length; n++) c = CRC[(c ^ bytes[n]) & 0xff] ^ (c >>> 8);
    return ((c ^ 0xffffffff) >>> 0) % buckets;
  }

  // A word's postings in its bucket file: sections of parts, each its words and their postings
  // (layout: build_scripts/search_index.py, encode_bucket).
  function postingsOf(buffer, wanted) {
    var bytes = new Uint8Array(buffer);
    var decoder = new TextDecoder();
    var at = 0;
    var found = [];
    function number() {
      var value = 0, scale = 1, byte;
      do {
        byte = bytes[at++];
        value += (byte & 127) * scale;
        scale *= 128;
      } while (byte & 128);
      return value;
    }
    while (at < bytes.length) {
      var part = number();
      for (var words = number(); words > 0; words--) {
        var length = number();
        var word = decoder.decode(bytes.subarray(at, at + length));
        at += length;
        var page = 0;
        for (var count = number(); count > 0; count--) {
          page += number();
          var impact = number(), passage = number();
          if (word === wanted) found.push({ part: part, page: page, impact: impact, passage: passage });
        }
      }
    }
    return found;
  }

  // Pages holding every word of the query, best first: the sum of each word's idf (counted from
  // its postings) times its impact on the page (BM25's other part, with the page's weight).
  function ranked(index, words, lists) {
    var pages = {};
    lists.forEach(function (postings, n) {
      var idf = Math.log(1 + (index.pages - postings.length + 0.5) / (postings.length + 0.5));
      postings.forEach(function (posting) {
        var key = posting.part + "/" + posting.page;
        var page = pages[key] || (pages[key] = { part: posting.part, page: posting.page, score: 0, words: 0, rarest: -1 });
        page.score += idf * posting.impact;
        page.words += 1;
        if (idf > page.rarest) {
          page.rarest = idf;
          page.passage = posting.passage;
        }
      });
    });
    return Object.keys(pages).map(function (key) { return pages[key]; })
      .filter(function (page) { return page.words === words.length; })
      .sort(function (a, b) { return b.score - a.score || a.part - b.part || a.page - b.page; });
  }

  function search(text) {
    var words = wordsOf(text);
    return load().then(function (index) {
      return Promise.all(words.map(function (word) {
        var url = folder + "words/" + bucketOf(word, index.buckets) + ".bin";
        return fetchOnce(url, "arrayBuffer").then(function (buffer) { return postingsOf(buffer, word); });
      })).then(function (lists) {
        return ranked(index, words, lists).map(function (hit) {
          hit.id = index.parts[hit.part];
          return hit;
        });
      });
    });
  }

  // What a result shows: the page's address and title, and the passage where its rarest word first occurs.
  function details(hit) {
    return load().then(function (index) {
      var file = Math.floor(hit.passage / index.passagesPerFile);
      return Promise.all([
        fetchOnce(folder + "pages/" + hit.id + ".json", "json"),
        fetchOnce(folder + "text/" + hit.id + "/" + hit.page + "-" + file + ".json", "json"),
      ]).then(function (files) {
        var page = files[0][hit.page];
        return { url: new URL(page[0], siteRoot).href, title: page[1], passage: files[1][hit.passage % index.passagesPerFile] || "" };
      });
    });
  }

  // The excerpt as nodes: text, and <mark> around the query's words; report text is never markup.
  function excerptNodes(passage, query) {
    var runs = runsOf(query).sort(function (a, b) { return b.length - a.length; });
    var lower = passage.normalize("NFKC").toLowerCase();
    var hits = [];
    runs.forEach(function (run) {
      for (var at = lower.indexOf(run); at >= 0; at = lower.indexOf(run, at + run.length)) {
        var end = at + run.length;
        if (!hits.some(function (hit) { return at < hit[1] && end > hit[0]; })) hits.push([at, end]);
      }
    });
    hits.sort(function (a, b) { return a[0] - b[0]; });
    // NFKC keeps the length of Chinese text; where it would not (full-width Latin), show no marks.
    if (lower.length !== passage.length) hits = [];
    var start = hits.length ? Math.max(0, hits[0][0] - 12) : 0;
    var end = Math.min(passage.length, start + EXCERPT);
    var nodes = [];
    var at = start;
    if (start > 0) nodes.push(document.createTextNode("…"));
    hits.forEach(function (hit) {
      if (hit[0] < at || hit[1] > end) return;
      nodes.push(document.createTextNode(passage.slice(at, hit[0])));
      var mark = document.createElement("mark");
      mark.textContent = passage.slice(hit[0], hit[1]);
      nodes.push(mark);
      at = hit[1];
    });
    nodes.push(document.createTextNode(passage.slice(at, end) + (end < passage.length ? "…" : "")));
    return nodes;
  }

  function item(data, query) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = data.url;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var title = document.createElement("h1");
    title.textContent = data.title || data.url;
    var excerpt = document.createElement("p");
    excerptNodes(data.passage, query).forEach(function (node) { excerpt.appendChild(node); });
    article.appendChild(title);
    article.appendChild(excerpt);
    link.appendChild(article);
    li.appendChild(link);
    return li;
  }

  function moreButton() {
    var li = document.createElement("li");
    li.className = "md-search-result__item search-more";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button search-more__button";
    button.textContent = "更多结果";
    button.addEventListener("click", function () { showMore(asked); });
    li.appendChild(button);
    return li;
  }

  function showMore(query) {
    var text = input.value.trim();
    var next = results.slice(shown, shown + PAGE);
    shown += next.length;
    return Promise.all(next.map(details)).then(function (pages) {
      if (query !== asked) return;
      var old = list.querySelector(".search-more");
      if (old) old.remove();
      pages.forEach(function (data) { list.appendChild(item(data, text)); });
      if (shown < results.length) list.appendChild(moreButton());
    });
  }

  function run() {
    var text = input.value.trim();
    var query = ++asked;
    if (!wordsOf(text).length) {
      results = [];
      list.textContent = "";
      meta.textContent = text ? "没有找到结果" : PROMPT;
      return;
    }
    search(text).then(function (hits) {
      if (query !== asked) return;
      results = hits;
      shown = 0;
      list.textContent = "";
      meta.textContent = results.length ? "找到" + results.length + "个结果" : "没有找到结果";
      return showMore(query);
    }).catch(function (error) {
      if (query !== asked) return;
      meta.textContent = "搜索暂时不可用";
      console.error(error);
    });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, WAIT_MS);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) first.click();
  });
  form.addEventListener("reset", function () {
    setTimeout(function () { run(); input.focus(); }, 0);
  });
  // The theme's own search code would focus the box when the dialog opens, and close it on Escape.
  // The box is focused in the tap's own handler: a phone opens its keyboard only for a focus made
  // there, and words typed right after the tap must reach the box, not the page.
  if (toggle) {
    toggle.addEventListener("change", function () {
      if (toggle.checked) {
        load();
        input.focus();
      }
    });
  }
  input.addEventListener("focus", function () {
    load();
    if (toggle && !toggle.checked) {
      toggle.checked = true;
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle && toggle.checked) {
      toggle.checked = false;
      input.blur();
    }
  });
  // A keyword chip (?q=…) opens the search here, before instant navigation would load the page again.
  document.addEventListener("click", function (event) {
    var chip = event.target.closest && event.target.closest("a.keyword-chip");
    var query = chip && new URL(chip.href).searchParams.get("q");
    if (!query || !toggle) return;
    event.preventDefault();
    event.stopPropagation();
    input.value = query;
    toggle.checked = true;
    input.focus();
    run();
  }, true);
  list.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("a") && toggle) toggle.checked = false;
  });
  meta.textContent = PROMPT;
  // A link with ?q=… (the keyword chips of a theme page) opens the search with that query.
  var linked = new URLSearchParams(location.search).get("q");
  if (linked && toggle) {
    input.value = linked;
    toggle.checked = true;
    run();
  } else if (input.value.trim()) {
    run(); // words typed before this script was ready had no listener to hear them
  }
})();
