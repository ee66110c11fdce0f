// Search teasers. The theme shows, under each hit, the whole paragraphs that hold it: on a phone
// one hit fills the screen and the highlighted word can sit below the fold. Each teaser paragraph
// is cut to start a few characters before its first highlighted word (marked by an ellipsis);
// docs/stylesheets/search.css then clamps it to three lines.
(function () {
  "use strict";
  var LEAD = 12; // characters kept before the first hit
  var TEASERS = ".md-search-result__article > p:not(.md-search-result__terms), .md-search-result__article li";

  function textBefore(block, mark) {
    var nodes = [];
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (mark.contains(node) || mark.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING) break;
      nodes.push(node);
    }
    return nodes;
  }

  function trim(block) {
    var mark = block.querySelector("mark");
    if (!mark || block.hasAttribute("data-trimmed")) return;
    block.setAttribute("data-trimmed", "");
    var nodes = textBefore(block, mark);
    // The index separates words with zero-width spaces; they are not characters a reader sees.
    nodes.forEach(function (node) { node.data = node.data.replace(/\u200b/g, ""); });
    var cut = nodes.reduce(function (sum, node) { return sum + node.data.length; }, 0) - LEAD;
    if (cut <= 0) return;
    nodes.forEach(function (node) {
      var take = Math.min(cut, node.data.length);
      node.data = node.data.slice(take);
      cut -= take;
    });
    block.insertBefore(document.createTextNode("…"), block.firstChild);
  }

  function trimAll(root) {
    root.querySelectorAll(TEASERS).forEach(trim);
  }

  var list = document.querySelector(".md-search-result__list");
  if (!list) return;
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(function (node) {
        if (node instanceof Element) trimAll(node);
      });
    });
  }).observe(list, { childList: true, subtree: true });
})();
