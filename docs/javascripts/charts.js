// Report charts: the one script that draws every chart, on every page view.
//
// Pages embed each chart as a container [data-chart-id] with its ECharts option
// as JSON beside it (no inline code), so mkdocs-material's instant navigation
// cannot run a chart before its library. This script loads the self-hosted
// ECharts only on pages that have charts, draws a chart when it scrolls into
// view, shows each bar's source sentence in the tooltip, follows a click on a bar
// to that sentence, and disposes the charts when the page changes.
(function () {
  "use strict";

  // The base in __config is relative to the page the site was entered on, so the
  // library URL is resolved once, now, against that first page.
  var LIBRARY_URL = (function () {
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    return new URL(base + "/assets/javascripts/echarts.min.js", location).href;
  })();

  var library = null; // Promise of window.echarts, made once
  var charts = []; // charts drawn on the current page
  var observer = null; // IntersectionObserver of the current page
  var schemeWatch = null; // MutationObserver of the colour scheme

  function loadLibrary() {
    if (window.echarts) return Promise.resolve(window.echarts);
    if (library) return library;
    library = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = LIBRARY_URL;
      script.async = true;
      script.onload = function () { resolve(window.echarts); };
      script.onerror = function () {
        library = null;
        reject(new Error("ECharts could not be loaded from " + LIBRARY_URL));
      };
      document.head.appendChild(script);
    });
    return library;
  }

  function isDark() {
    return document.body.getAttribute("data-md-color-scheme") === "slate";
  }

  function escapeHtml(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function optionOf(container) {
    var figure = container.closest(".report-chart");
    var json = figure && figure.querySelector('script[type="application/json"]');
    return json ? JSON.parse(json.textContent) : null;
  }

  // Colours that read on both palettes; the option JSON stays free of code.
  function decorate(option, dark) {
    option.backgroundColor = "transparent";
    option.tooltip = Object.assign({}, option.tooltip, {
      trigger: "item",
      confine: true,
      extraCssText: "max-width: 22em; white-space: normal;",
      formatter: function (params) {
        var item = params.data || {};
        return "<strong>" + escapeHtml(params.seriesName) + " · " + escapeHtml(item.name) + "</strong><br>" +
          escapeHtml(item.text || params.value) + "<br><small>" + escapeHtml(item.sentence) + "</small>";
      }
    });
    var text = dark ? "#e2e4e9" : "#333";
    (option.xAxis || []).concat(option.yAxis || []).forEach(function (axis) {
      axis.axisLabel = Object.assign({}, axis.axisLabel, { color: text });
      axis.nameTextStyle = Object.assign({}, axis.nameTextStyle, { color: text });
    });
    // Bars are labelled with the figure as the report writes it (超730亿元), qualifier included.
    (option.series || []).forEach(function (series) {
      series.label = Object.assign({}, series.label, {
        color: text,
        formatter: function (params) { return (params.data && params.data.text) || params.value; }
      });
    });
    (option.legend || []).forEach(function (legend) {
      legend.textStyle = Object.assign({}, legend.textStyle, { color: text });
    });
    return option;
  }

  function draw(container, echarts) {
    if (container.__chart) return;
    var option = optionOf(container);
    if (!option) return;
    var chart = echarts.init(container, isDark() ? "dark" : null, { renderer: "canvas" });
    chart.setOption(decorate(option, isDark()));
    chart.on("click", function (params) {
      var url = params.data && params.data.url;
      if (!url) return;
      // A link click lets mkdocs-material's instant navigation take over.
      var link = document.createElement("a");
      link.href = url;
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
    container.__chart = chart;
    charts.push(chart);
  }

  function disposeAll() {
    if (observer) observer.disconnect();
    if (schemeWatch) schemeWatch.disconnect();
    observer = schemeWatch = null;
    charts.forEach(function (chart) {
      var dom = chart.getDom();
      if (dom) dom.__chart = null;
      chart.dispose();
    });
    charts = [];
  }

  function redrawAll() {
    var containers = charts.map(function (chart) { return chart.getDom(); });
    charts.forEach(function (chart) { chart.getDom().__chart = null; chart.dispose(); });
    charts = [];
    if (!window.echarts) return;
    containers.forEach(function (container) { draw(container, window.echarts); });
  }

  function onView(entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      observer.unobserve(entry.target);
      loadLibrary().then(function (echarts) { draw(entry.target, echarts); })
        .catch(function (error) {
          entry.target.closest(".report-chart").classList.add("report-chart--failed");
          console.error(error);
        });
    });
  }

  function setUp() {
    disposeAll();
    var containers = document.querySelectorAll(".report-chart [data-chart-id]");
    if (!containers.length) return; // no charts, no library
    if ("IntersectionObserver" in window) {
      observer = new IntersectionObserver(onView, { rootMargin: "200px 0px" });
      containers.forEach(function (container) { observer.observe(container); });
    } else {
      loadLibrary().then(function (echarts) {
        containers.forEach(function (container) { draw(container, echarts); });
      });
    }
    schemeWatch = new MutationObserver(redrawAll);
    schemeWatch.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });

  if (typeof document$ !== "undefined") {
    document$.subscribe(setUp);
  } else {
    document.addEventListener("DOMContentLoaded", setUp);
  }
})();
