// Reports browser (报告一览, build_scripts/templates/reports.md.j2): one year and province at a time.
//
// It loads data/reports/index.json (the year–province shards and their counts), then only the
// shard chosen, so the page works the same for thirty reports or thirty thousand. Rows are
// filled with textContent: a report's title or place is text, never markup. The choice is kept
// in the address (#2026-35) so it can be shared and the home page can link to one province.
(function () {
  "use strict";

  // Each row names its tier (provincial, city, county): which levels belong to which is said once, in
  // build_scripts/places.py.
  var LEVEL_NAMES = { provincial: "省级", city: "市级", county: "县级" };

  function levelClass(row) {
    return LEVEL_NAMES[row.tier] ? row.tier : "county";
  }

  function start() {
    var root = document.querySelector(".report-browser");
    if (!root || root.__started) return;
    root.__started = true;
    var indexUrl = new URL(root.getAttribute("data-index"), location.href);
    var form = root.querySelector("form");
    var year = form.elements.year;
    var province = form.elements.province;
    var status = root.querySelector(".report-browser__status");
    var downloads = root.querySelector(".report-browser__downloads"); // the shown year's and province's figures
    var body = root.querySelector("tbody");
    var shards = [];
    var rows = [];
    var sort = { key: null, descending: false };

    function shardOf(y, code) {
      return shards.filter(function (s) { return String(s.year) === y && s.code === code; })[0];
    }

    function option(value, label) {
      var element = document.createElement("option");
      element.value = value;
      element.textContent = label;
      return element;
    }

    function fillProvinces(y, wanted) {
      province.textContent = "";
      shards.filter(function (s) { return String(s.year) === y; }).forEach(function (s) {
        province.appendChild(option(s.code, s.province + "（" + s.reports + "份）"));
      });
      if (wanted && shardOf(y, wanted)) province.value = wanted;
    }

    function render() {
      var levels = Array.prototype.filter.call(form.elements.level, function (box) { return box.checked; })
        .map(function (box) { return box.value; });
      var shown = rows.filter(function (row) { return levels.indexOf(levelClass(row)) >= 0; });
      if (sort.key) {
        shown = shown.slice().sort(function (a, b) {
          var x = a[sort.key] || "", y = b[sort.key] || "";
          var order = x < y ? -1 : x > y ? 1 : 0;
          return sort.descending ? -order : order;
        });
      }
      body.textContent = "";
      shown.forEach(function (row) {
        var tr = document.createElement("tr");
        var place = document.createElement("td");
        var link = document.createElement("a");
        link.href = new URL("../" + row.url, location.href).pathname;
        link.textContent = row.place || row.title;
        link.title = row.title;
        place.appendChild(link);
        [place, row.level ? LEVEL_NAMES[levelClass(row)] + "（" + row.level + "）" : "",
          row.delivered || "", row.presenter || ""].forEach(function (cell) {
          if (typeof cell === "string") {
            var td = document.createElement("td");
            td.textContent = cell;
            tr.appendChild(td);
          } else {
            tr.appendChild(cell);
          }
        });
        body.appendChild(tr);
      });
      status.textContent = "共" + rows.length + "份报告，显示" + shown.length + "份。";
      root.querySelectorAll("th[aria-sort]").forEach(function (th) {
        var key = th.querySelector("button").getAttribute("data-sort");
        th.setAttribute("aria-sort", key !== sort.key ? "none" : sort.descending ? "descending" : "ascending");
      });
    }

    function load() {
      var shard = shardOf(year.value, province.value);
      if (!shard) return;
      if (history.replaceState) history.replaceState(null, "", "#" + (shard.year || "unknown") + "-" + shard.code);
      status.textContent = "正在载入……";
      if (downloads && shard.figures_csv) {
        downloads.querySelector(".report-browser__csv").href = new URL(shard.figures_csv, indexUrl).href;
        downloads.querySelector(".report-browser__json").href = new URL(shard.figures_json, indexUrl).href;
        downloads.hidden = false;
      }
      fetch(new URL(shard.file, indexUrl)).then(function (response) { return response.json(); }).then(function (list) {
        if (shardOf(year.value, province.value) !== shard) return;
        rows = list;
        render();
      }).catch(function () { status.textContent = "报告清单没有载入，请稍后再试。"; });
    }

    fetch(indexUrl).then(function (response) { return response.json(); }).then(function (index) {
      shards = index;
      var years = [];
      shards.forEach(function (s) { if (years.indexOf(String(s.year)) < 0) years.push(String(s.year)); });
      years.forEach(function (y) { year.appendChild(option(y, y === "null" ? "年份不明" : y + "年")); });
      var wanted = /^#(\w+)-(\d\d)$/.exec(location.hash);
      if (wanted && shards.some(function (s) { return String(s.year) === (wanted[1] === "unknown" ? "null" : wanted[1]); })) {
        year.value = wanted[1] === "unknown" ? "null" : wanted[1];
      }
      fillProvinces(year.value, wanted && wanted[2]);
      load();
    }).catch(function () { status.textContent = "报告清单没有载入，请稍后再试。"; });

    year.addEventListener("change", function () { fillProvinces(year.value); load(); });
    province.addEventListener("change", load);
    form.addEventListener("change", function (event) { if (event.target.name === "level") render(); });
    root.querySelectorAll("th button[data-sort]").forEach(function (button) {
      button.addEventListener("click", function () {
        var key = button.getAttribute("data-sort");
        sort = { key: key, descending: sort.key === key ? !sort.descending : false };
        render();
      });
    });
  }

  // With instant navigation the page arrives without a reload: start again on every new page.
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(start);
  else document.addEventListener("DOMContentLoaded", start);
})();
