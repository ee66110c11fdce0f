// Embeds: one small script for the two sides of embedding.
//
// On an embed page (html.embed-page, at embed/<report>/<chart|section>/<id>/) it sets the colour
// scheme from ?theme=light|dark|auto or the host's message, draws the chart with the site's
// ECharts build, saves it as PNG or SVG, and tells the host page its content height.
// On an explainer page it opens the 嵌入 dialog (embed code and a copy button) and saves a
// chart as PNG or SVG, through clicks on the buttons that build_scripts/embed.py writes.
//
// Message protocol, version 1 (README, "Embedding"):
//   embed → host  {type: "explainer-embed:resize", version: 1, id: "<report>/<kind>/<id>", height: <px>}
//                 posted only to the host's origin: the origin of document.referrer until the
//                 parent sends a message, then the origin of the parent's message; never to "*".
//   host → embed  {type: "explainer-embed:hello", version: 1}   asks for the height again
//                 {type: "explainer-embed:theme", version: 1, theme: "light" | "dark" | "auto"}
//                 accepted only from the parent window (event.source), in this shape only.
// No cookies, no storage and nothing from another host: it works in a sandboxed iframe.
(function () {
  "use strict";

  var TYPE = "explainer-embed";
  var VERSION = 1;
  var THEMES = { light: true, dark: true, auto: true };
  var root = document.documentElement;
  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  root.classList.remove("no-js");

  // Colours, tooltips and axes fitted to the width are the site's own (chart-style.js, loaded first).
  var style = window.ExplainerChartStyle;
  var escapeHtml = style.escapeHtml;

  // ---------------------------------------------------------------- saving a chart

  // The chart a download button saves: the one its actions row names, or the embed page's chart.
  function figureOf(element) {
    var actions = element.closest("[data-chart]");
    return actions ? document.getElementById(actions.getAttribute("data-chart")) :
      document.querySelector(".embed .report-chart");
  }

  function chartOf(figure) {
    var canvas = figure && figure.querySelector("[data-chart-id]");
    return canvas && window.echarts ? window.echarts.getInstanceByDom(canvas) : null;
  }

  function textOf(figure, selector) {
    var element = figure.querySelector(selector);
    return element ? element.textContent.trim() : "";
  }

  // The chart as shown, as SVG, on the page's own background so it reads outside the page too, with what a
  // published chart carries (chart-style.js publishedSvg, which the build's share images use too).
  function svgOf(chart, figure) {
    return style.publishedSvg(chart.renderToSVGString(), chart.getWidth(), chart.getHeight(), {
      title: textOf(figure, ".report-chart__title"),
      subtitle: textOf(figure, ".report-chart__subtitle"),
      note: textOf(figure, ".report-chart__note"),
      credit: figure.getAttribute("data-credit") || ""
    }, {
      background: getComputedStyle(document.body).backgroundColor || "#fff",
      color: getComputedStyle(document.body).color || "#222"
    });
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.target = "_self";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function download(button) {
    var figure = figureOf(button);
    var chart = chartOf(figure);
    if (!chart) return;
    var name = button.getAttribute("data-name") || "chart";
    var drawn = svgOf(chart, figure);
    var svg = new Blob([drawn.svg], { type: "image/svg+xml;charset=utf-8" });
    if (button.getAttribute("data-download") === "svg") {
      save(svg, name + ".svg");
      return;
    }
    // PNG: the same SVG drawn at twice the size, for sharp text on screens and in print.
    var width = drawn.width, height = drawn.height, scale = 2;
    var image = new Image();
    var source = URL.createObjectURL(svg);
    image.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = width * scale;
      canvas.height = height * scale;
      var context = canvas.getContext("2d");
      context.scale(scale, scale);
      context.drawImage(image, 0, 0, width, height);
      URL.revokeObjectURL(source);
      canvas.toBlob(function (png) { if (png) save(png, name + ".png"); }, "image/png");
    };
    image.src = source;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-download]");
    if (button) download(button);
  });

  // ---------------------------------------------------------------- the embed page

  function embedPage() {
    var params = new URLSearchParams(location.search);
    var chosen = THEMES[params.get("theme")] ? params.get("theme") : "auto";
    var hostOrigin = originOf(document.referrer);
    var lastHeight = 0;
    var main = null;

    function originOf(url) {
      try {
        var origin = new URL(url).origin;
        return origin && origin !== "null" ? origin : null;
      } catch (error) {
        return null;
      }
    }

    function isDark() {
      return chosen === "dark" || (chosen === "auto" && !!darkQuery && darkQuery.matches);
    }

    function applyScheme() {
      var scheme = isDark() ? "dark" : "light";
      if (root.getAttribute("data-scheme") === scheme) return;
      root.setAttribute("data-scheme", scheme);
      drawCharts();
    }

    function contentHeight() {
      return Math.ceil(main ? main.getBoundingClientRect().height : root.scrollHeight);
    }

    function postHeight(force) {
      if (!hostOrigin || window.parent === window || !main) return;
      var height = contentHeight();
      if (!force && height === lastHeight) return;
      lastHeight = height;
      window.parent.postMessage({ type: TYPE + ":resize", version: VERSION, id: main.getAttribute("data-embed-id"),
        height: height }, hostOrigin);
    }

    function styled(option, width) {
      option.animation = false; // the host sizes the frame once; PNG and SVG show the final bars
      return style.fitAxes(style.decorate(option, isDark()), width);
    }

    function drawCharts() {
      if (!window.echarts) return;
      document.querySelectorAll(".report-chart [data-chart-id]").forEach(function (canvas) {
        var figure = canvas.closest(".report-chart");
        var json = figure.querySelector('script[type="application/json"]');
        try {
          var old = window.echarts.getInstanceByDom(canvas);
          if (old) old.dispose();
          var chart = window.echarts.init(canvas, isDark() ? "dark" : null, { renderer: "svg" });
          canvas.__widthClass = widthClass(canvas);
          chart.setOption(styled(JSON.parse(json.textContent), canvas.clientWidth));
          chart.on("click", function (params) {
            var url = params.data && params.data.url;
            if (url) window.open(new URL(url, location.href).href, "_blank", "noopener");
          });
        } catch (error) {
          figure.classList.add("report-chart--failed");
          console.error(error);
        }
      });
    }

    window.addEventListener("message", function (event) {
      if (event.source !== window.parent || event.source === window) return;
      var data = event.data;
      if (!data || typeof data !== "object" || data.version !== VERSION) return;
      if (data.type === TYPE + ":theme" && THEMES[data.theme]) {
        chosen = data.theme;
        applyScheme();
      } else if (data.type !== TYPE + ":hello") {
        return;
      }
      // The parent's own message says its origin for certain; the referrer only guesses it (a host
      // that sends none, or a frame that another page navigated here, names the wrong page or none).
      hostOrigin = originOf(event.origin) || hostOrigin;
      postHeight(true);
    });

    if (darkQuery && darkQuery.addEventListener) darkQuery.addEventListener("change", applyScheme);
    // The width class the axes were fitted to: a chart is drawn again when it changes.
    function widthClass(canvas) {
      var width = canvas.clientWidth;
      return width < style.NARROW ? Math.floor(width / style.TICK_SPACE) : "wide";
    }

    window.addEventListener("resize", function () {
      var refit = false;
      document.querySelectorAll(".report-chart [data-chart-id]").forEach(function (canvas) {
        var chart = window.echarts && window.echarts.getInstanceByDom(canvas);
        if (chart && canvas.__widthClass !== widthClass(canvas)) refit = true;
        else if (chart) chart.resize();
      });
      if (refit) drawCharts();
    });

    root.setAttribute("data-scheme", isDark() ? "dark" : "light");
    document.addEventListener("DOMContentLoaded", function () {
      main = document.querySelector("main.embed");
      drawCharts();
      postHeight(true);
      if ("ResizeObserver" in window) {
        new ResizeObserver(function () { postHeight(false); }).observe(main);
      }
    });
  }

  // ---------------------------------------------------------------- the explainer page: 嵌入 dialog

  var dialog = null;

  function codeFor(actions, theme, withScript) {
    var url = new URL(actions.getAttribute("data-embed-url"), location.href);
    if (theme !== "auto") url.search = "?theme=" + theme;
    var host = new URL(actions.getAttribute("data-embed-host"), location.href).href;
    var code = '<iframe src="' + escapeHtml(url.href) + '" title="' + escapeHtml(actions.getAttribute("data-embed-title")) +
      '" data-explainer-embed="' + escapeHtml(actions.getAttribute("data-embed-id")) + '" width="100%" height="' +
      escapeHtml(actions.getAttribute("data-embed-height")) + '" loading="lazy" sandbox="allow-scripts allow-same-origin ' +
      'allow-popups allow-popups-to-escape-sandbox allow-downloads" style="width:100%;max-width:100%;border:0"></iframe>';
    return withScript ? code + '\n<script async src="' + escapeHtml(host) + '"></script>' : code;
  }

  function makeDialog() {
    var element = document.createElement("dialog");
    element.className = "embed-dialog";
    element.setAttribute("aria-labelledby", "embed-dialog-title");
    element.innerHTML =
      '<h2 id="embed-dialog-title">嵌入到其他网页</h2>' +
      '<p class="embed-dialog__what"></p>' +
      '<div class="embed-dialog__row"><label>配色 <select data-embed-theme>' +
      '<option value="auto">跟随读者系统</option><option value="light">浅色</option><option value="dark">深色</option>' +
      '</select></label><label><input type="checkbox" data-embed-script checked> 附带自动调整高度的脚本</label></div>' +
      '<label for="embed-dialog-code">嵌入代码</label>' +
      '<textarea id="embed-dialog-code" readonly spellcheck="false"></textarea>' +
      '<p class="embed-dialog__status" role="status"></p>' +
      '<div class="embed-dialog__buttons"><button type="button" data-embed-copy>复制代码</button>' +
      '<button type="button" data-embed-close>关闭</button></div>';
    document.body.appendChild(element);
    return element;
  }

  function openDialog(actions) {
    if (!dialog || !dialog.isConnected) dialog = makeDialog();
    var theme = dialog.querySelector("[data-embed-theme]");
    var script = dialog.querySelector("[data-embed-script]");
    var code = dialog.querySelector("textarea");
    var status = dialog.querySelector(".embed-dialog__status");
    dialog.querySelector(".embed-dialog__what").textContent = actions.getAttribute("data-embed-title");
    function update() {
      code.value = codeFor(actions, theme.value, script.checked);
      status.textContent = "";
    }
    theme.onchange = script.onchange = update;
    dialog.querySelector("[data-embed-copy]").onclick = function () {
      code.select();
      var done = function () { status.textContent = "已复制到剪贴板。"; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(code.value).then(done, function () {
          status.textContent = "请按 Ctrl+C（⌘C）复制选中的代码。";
        });
      } else {
        status.textContent = "请按 Ctrl+C（⌘C）复制选中的代码。";
      }
    };
    dialog.querySelector("[data-embed-close]").onclick = function () { dialog.close(); };
    update();
    dialog.showModal();
    code.focus();
    code.select();
  }

  if (root.classList.contains("embed-page")) {
    embedPage();
  } else {
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("[data-embed-open]");
      if (button) openDialog(button.closest(".embed-actions"));
    });
  }
})();
