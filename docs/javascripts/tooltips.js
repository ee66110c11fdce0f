// Glossary terms are <abbr title="…"> (build_scripts/glossary.py). The theme's tooltips (feature
// content.tooltips) show the explanation on hover, on tap and on keyboard focus, with role="tooltip"
// and aria-describedby; the first use of each term on a page is a Tab stop. The theme gives no key
// to close a tooltip, so Escape hides it until the reader moves on: to another term, by Tab or a
// tap (WCAG 1.4.13, content on hover or focus must be dismissible).
(function () {
  "use strict";
  var root = document.documentElement;
  var DISMISSED = "tooltips-dismissed";

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && document.querySelector('.md-tooltip2--active[role="tooltip"]')) {
      root.classList.add(DISMISSED);
    }
  });

  function show() {
    root.classList.remove(DISMISSED);
  }
  document.addEventListener("focusin", show);
  document.addEventListener("pointerdown", show);
  document.addEventListener("pointerover", function (event) {
    if (event.target instanceof Element && event.target.closest("abbr")) show();
  });
})();
