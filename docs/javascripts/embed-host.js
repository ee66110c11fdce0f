// The optional host script of the embed code: sizes this site's embed iframes to their content
// and passes the host page's colour scheme to them. Paste it once; more copies do nothing.
//
// It manages only iframes marked data-explainer-embed whose src is on the site that served this
// script, and accepts a message only when event.source is one of those iframes and event.origin
// is that site (or "null" for an iframe the host sandboxed without allow-same-origin, which is
// what the browser reports for it). Message protocol, version 1 (README, "Embedding"):
//   embed → host  {type: "explainer-embed:resize", version: 1, id: "<report>/<kind>/<id>", height: <px>}
//   host → embed  {type: "explainer-embed:hello", version: 1}
//                 {type: "explainer-embed:theme", version: 1, theme: "light" | "dark" | "auto"}
// The host page can switch the embeds' colours with window.explainerEmbeds.setTheme("dark"); the
// script also follows a dark-mode toggle that marks <html> or <body> with data-theme,
// data-color-scheme, data-bs-theme or data-md-color-scheme ("dark"/"slate" or "light"/"default"),
// or with a class "dark".
(function () {
  "use strict";
  if (window.explainerEmbeds) return;

  var TYPE = "explainer-embed";
  var VERSION = 1;
  var MAX_HEIGHT = 20000; // a frame never asks the page to grow without bound
  var script = document.currentScript;
  var siteOrigin = new URL(script && script.src ? script.src : location.href, location.href).origin;
  var theme = null; // the scheme the host asked for, sent to every frame once it has spoken

  function ours(frame) {
    try {
      return new URL(frame.getAttribute("src"), location.href).origin === siteOrigin;
    } catch (error) {
      return false;
    }
  }

  function frames() {
    return Array.prototype.filter.call(document.querySelectorAll("iframe[data-explainer-embed]"), ours);
  }

  function opaque(frame) {
    var sandbox = frame.getAttribute("sandbox");
    return sandbox !== null && !/(^|\s)allow-same-origin(\s|$)/.test(sandbox);
  }

  function frameOf(source) {
    var list = frames();
    for (var i = 0; i < list.length; i++) {
      if (source && list[i].contentWindow === source) return list[i];
    }
    return null;
  }

  // Hello carries no data: it may go to "*", so a frame still loading (or sandboxed) raises no error.
  function hello(frame) {
    if (frame.contentWindow) frame.contentWindow.postMessage({ type: TYPE + ":hello", version: VERSION }, "*");
  }

  function sendTheme(frame) {
    if (!theme || !frame.__explainerReady || !frame.contentWindow) return;
    frame.contentWindow.postMessage({ type: TYPE + ":theme", version: VERSION, theme: theme },
      opaque(frame) ? "*" : siteOrigin);
  }

  window.addEventListener("message", function (event) {
    var frame = frameOf(event.source);
    if (!frame || event.origin !== (opaque(frame) ? "null" : siteOrigin)) return;
    var data = event.data;
    if (!data || typeof data !== "object" || data.version !== VERSION || data.type !== TYPE + ":resize") return;
    var height = Math.ceil(Number(data.height));
    if (!(height > 0)) return;
    frame.style.height = Math.min(height, MAX_HEIGHT) + "px";
    if (!frame.__explainerReady) {
      frame.__explainerReady = true;
      sendTheme(frame);
    }
  });

  // Frames that load later (lazy, or added to the page) are greeted when they load.
  document.addEventListener("load", function (event) {
    var frame = event.target;
    if (frame && frame.tagName === "IFRAME" && frame.hasAttribute("data-explainer-embed") && ours(frame)) hello(frame);
  }, true);
  frames().forEach(hello);

  function setTheme(value) {
    if (value !== "light" && value !== "dark" && value !== "auto") return;
    theme = value;
    frames().forEach(sendTheme);
  }

  function hostTheme() {
    var marks = [document.documentElement, document.body].filter(Boolean);
    for (var i = 0; i < marks.length; i++) {
      var element = marks[i];
      var names = ["data-theme", "data-color-scheme", "data-bs-theme", "data-md-color-scheme"];
      for (var j = 0; j < names.length; j++) {
        var value = (element.getAttribute(names[j]) || "").toLowerCase();
        if (value === "dark" || value === "slate") return "dark";
        if (value === "light" || value === "default") return "light";
      }
      if (element.classList.contains("dark")) return "dark";
    }
    return null;
  }

  var followed = false; // once the page has shown a mark, losing it means its light mode

  function followHost() {
    var value = hostTheme() || (followed ? "light" : null);
    followed = followed || !!value;
    if (value && value !== theme) setTheme(value);
  }

  if ("MutationObserver" in window) {
    var watch = new MutationObserver(followHost);
    var options = { attributes: true, attributeFilter: ["class", "data-theme", "data-color-scheme", "data-bs-theme",
      "data-md-color-scheme"] };
    watch.observe(document.documentElement, options);
    if (document.body) watch.observe(document.body, options);
    else document.addEventListener("DOMContentLoaded", function () { watch.observe(document.body, options); });
  }
  followHost();

  window.explainerEmbeds = { version: VERSION, setTheme: setTheme };
})();
