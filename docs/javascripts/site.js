// Site behaviour that survives mkdocs-material's instant navigation: bound on every page view.
document$.subscribe(function () {
  var toggle = document.querySelector("[data-toggle-spun]");
  if (!toggle) return;
  toggle.checked = document.body.classList.contains("show-spun");
  toggle.addEventListener("change", function () {
    document.body.classList.toggle("show-spun", toggle.checked);
  });
});
