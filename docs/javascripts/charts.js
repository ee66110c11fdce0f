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

  // Chart widths below which the compact layout applies: on a 375 px phone a value axis of five
  // ticks beside 150 px category labels leaves about 100 px for the bars, and the tick labels
  // run together ("100200300…").
  var NARROW = 560;
  var TICK_SPACE = 64; // px one value-axis label needs, with room to breathe

  // Axis numbers as a Chinese reader abbreviates them: 12000 → 1.2万, 350000000 → 3.5亿 (no 12,000).
  function compactNumber(value) {
    var abs = Math.abs(value);
    var scaled = abs >= 1e8 ? [value / 1e8, "亿"] : abs >= 1e4 ? [value / 1e4, "万"] : [value, ""];
    return String(Math.round(scaled[0] * 100) / 100) + scaled[1];
  }

  // Fit the axes to the container's width: fewer ticks and compact numbers on the value axis
  // (labels that would still touch are hidden), and on a narrow chart category labels of at most
  // 30% of its width, wrapped, or on a horizontal category axis wrapped to their slot (rotated
  // when a slot is too small to wrap into).
  function fitAxes(option, width) {
    var narrow = width < NARROW;
    var labelWidth = Math.max(56, Math.round(width * 0.3));
    var grid = option.grid || {};
    var spare = (grid.left || 0) + (grid.right || 0) + 16;
    var categoryWidth = 0; // px the labels of a vertical category axis take from the bars
    (option.yAxis || []).forEach(function (axis) { fitAxis(axis, false); });
    (option.xAxis || []).forEach(function (axis) { fitAxis(axis, true); });
    return option;

    function fitAxis(axis, horizontal) {
      var label = Object.assign({}, axis.axisLabel);
      if (axis.type === "value") {
        if (horizontal) {
          var across = width - spare - categoryWidth;
          axis.splitNumber = Math.max(2, Math.min(axis.splitNumber || 5, Math.floor(across / TICK_SPACE)));
        }
        label.hideOverlap = true;
        // An axis already in 万元 or 亿元 keeps plain numbers: 1.5万 of 万元 would read as 万万.
        if (!/^[万亿]/.test(axis.name || "")) label.formatter = compactNumber;
      } else if (axis.type === "category" && !horizontal) {
        if (narrow) {
          label.width = Math.min(label.width || labelWidth, labelWidth);
          label.overflow = "break";
          label.fontSize = 11;
        }
        categoryWidth = Math.max(categoryWidth, label.width || 0);
      } else if (axis.type === "category" && narrow) {
        var slot = Math.floor((width - spare - 40) / Math.max(1, (axis.data || []).length));
        label.interval = 0;
        label.fontSize = 11;
        if (slot >= 36) {
          label.width = slot - 4;
          label.overflow = "break";
        } else {
          label.rotate = 45;
          label.width = 80;
          label.overflow = "truncate";
          label.hideOverlap = true;
        }
      }
      axis.axisLabel = label;
    }
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
