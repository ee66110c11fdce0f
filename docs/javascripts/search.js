// Search: the header's search box (overrides/partials/search.html) asks Pagefind, which loads
// only the parts of the index the query's words need (build_scripts/search_index.py).
//
// It searches on every change of the box (the "input" event), so a word typed, pasted or
// chosen in a Chinese input method finds results at once, without a key being released.
// Results show the page's title, which names the report, and an excerpt with the words marked.
// Excerpts are report text: only their <mark> tags are kept, everything else becomes text.
(function () {
  "use strict";

  var PAGE = 10; // results shown at once; "更多结果" shows the next ones
  var WAIT_MS = 60; // let a fast typist finish a word before asking the index
  var dialog = document.querySelector("[data-explainer-search]");
  if (!dialog) return;

  var toggle = document.getElementById("__search");
  var input = dialog.querySelector(".md-search__input");
  var form = dialog.querySelector("form");
  var meta = dialog.querySelector(".md-search-result__meta");
  var list = dialog.querySelector(".md-search-result__list");
  // Resolved against this page once: with instant navigation the same script serves every page.
  var moduleUrl = new URL(dialog.getAttribute("data-pagefind-path"), document.baseURI).href;
  var siteRoot = new URL("../", moduleUrl).pathname;
  var PROMPT = "输入词语即可搜索";
  var engine = null;
  var asked = 0; // the number of the latest query: answers to older ones are dropped
  var timer = null;
  var results = [];
  var shown = 0;

  function load() {
    if (!engine) {
      engine = import(moduleUrl).then(function (pagefind) {
        return pagefind.options({ baseUrl: siteRoot, excerptLength: 24 }).then(function () { return pagefind; });
      });
    }
    return engine;
  }

  // Whether a word Pagefind marked is one the reader asked for: the index splits words on its own
  // (学校|办学|条件), and a mark on a word that is neither part of the query nor holds one of its
  // words (办学 for 学位) would show a match that is not there.
  function askedFor(word, query) {
    var words = query.split(/\s+/).filter(Boolean);
    return query.replace(/\s+/g, "").indexOf(word) >= 0 ||
      words.some(function (part) { return word.indexOf(part) >= 0; });
  }

  // The excerpt as nodes: text, and <mark> around the words found; no other markup survives.
  function excerptNodes(html, query) {
    var parsed = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html").body;
    var nodes = [];
    parsed.querySelectorAll("p").forEach(function (p) {
      p.childNodes.forEach(function (node) {
        if (node.nodeType === Node.ELEMENT_NODE && node.tagName === "MARK" && askedFor(node.textContent, query)) {
          var mark = document.createElement("mark");
          mark.textContent = node.textContent;
          nodes.push(mark);
        } else {
          nodes.push(document.createTextNode(node.textContent));
        }
      });
    });
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
    title.textContent = (data.meta && data.meta.title) || data.url;
    var excerpt = document.createElement("p");
    excerptNodes(data.excerpt || "", query).forEach(function (node) { excerpt.appendChild(node); });
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
    return Promise.all(next.map(function (result) { return result.data(); })).then(function (pages) {
      if (query !== asked) return;
      var old = list.querySelector(".search-more");
      if (old) old.remove();
      pages.forEach(function (data) { list.appendChild(item(data, text)); });
      if (shown < results.length) list.appendChild(moreButton());
    });
  }

  // Chinese words the index does not know are indexed character by character (安|商|房), and the
  // browser splits the query the same way; searched as separate characters, each matches every
  // page with a word that starts with it. So a Chinese query is searched as a phrase too, and the
  // pages holding the whole phrase come first, then the other pages that hold its parts.
  function phraseFirst(text) {
    return /[\u3400-\u9fff]/.test(text) && text.indexOf('"') < 0;
  }

  // The parts' ranking (which weighs each page by its kind: theme pages before full texts and the
  // glossary) with the pages that hold the whole phrase moved to the front, in that same order.
  function merged(phrase, parts) {
    var whole = {};
    (phrase ? phrase.results : []).forEach(function (result) { whole[result.id] = true; });
    var first = parts.results.filter(function (result) { return whole[result.id]; });
    return first.concat(parts.results.filter(function (result) { return !whole[result.id]; }));
  }

  function run() {
    var text = input.value.trim();
    var query = ++asked;
    if (!text) {
      results = [];
      list.textContent = "";
      meta.textContent = PROMPT;
      return;
    }
    load().then(function (pagefind) {
      return Promise.all([phraseFirst(text) ? pagefind.search('"' + text + '"') : null, pagefind.search(text)]);
    }).then(function (searches) {
      if (query !== asked || !searches[1]) return;
      results = merged(searches[0], searches[1]);
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
