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

  function optionOf(container) {
    var figure = container.closest(".report-chart");
    var json = figure && figure.querySelector('script[type="application/json"]');
    return json ? JSON.parse(json.textContent) : null;
  }

  // Axis fitting and colours are shared with the embed pages (chart-style.js, loaded first).
  var style = window.ExplainerChartStyle;
  var NARROW = style.NARROW, TICK_SPACE = style.TICK_SPACE, fitAxes = style.fitAxes, decorate = style.decorate;

  function draw(container, echarts) {
    if (container.__chart) return;
    var option = optionOf(container);
    if (!option) return;
    // The site's ECharts build holds the SVG renderer only (light, and the same drawing as the PNG/SVG downloads).
    var chart = echarts.init(container, isDark() ? "dark" : null, { renderer: "svg" });
    container.__layoutWidth = layoutWidth(container);
    chart.setOption(fitAxes(decorate(option, isDark()), container.clientWidth));
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

  // The width class the axes were fitted to: a chart is drawn again when it changes.
  function layoutWidth(container) {
    var width = container.clientWidth;
    return width < NARROW ? Math.floor(width / TICK_SPACE) : "wide";
  }

  window.addEventListener("resize", function () {
    var refit = charts.filter(function (chart) {
      var dom = chart.getDom();
      return dom && dom.__layoutWidth !== layoutWidth(dom);
    });
    charts.forEach(function (chart) { if (refit.indexOf(chart) < 0) chart.resize(); });
    if (!refit.length || !window.echarts) return;
    refit.forEach(function (chart) {
      var dom = chart.getDom();
      dom.__chart = null;
      chart.dispose();
      charts.splice(charts.indexOf(chart), 1);
      draw(dom, window.echarts);
    });
  });

  if (typeof document$ !== "undefined") {
    document$.subscribe(setUp);
  } else {
    document.addEventListener("DOMContentLoaded", setUp);
  }
})();
