// Share images: each chart drawn at build time as the PNG an og:image points to (build_scripts/share_image.py).
//
// One process serves many charts: it reads one JSON request per line on stdin,
//   {"option": {...}, "width": 600, "height": 180, "minimum_height": 315,
//    "texts": {"title", "subtitle", "note", "credit"}, "font": "/path.ttc", "family": "WenQuanYi Micro Hei"}
// (height: the chart canvas's; minimum_height: the whole image's, texts included)
// and answers each with one line on stdout, {"png": "<base64>"} or {"error": "..."}.
// The chart is drawn by the site's own ECharts build, styled by the site's chart-style.js (the same axes,
// labels and published layout as the PNG download on the page), rendered to SVG on the server (ECharts SSR)
// and rasterised by resvg at twice the size with the one font given: nothing depends on the machine's fonts,
// so the same request gives the same bytes.
"use strict";

const fs = require("fs");
const path = require("path");
const readline = require("readline");
const vm = require("vm");

const ROOT = path.resolve(__dirname, "..", "..");
const { Resvg } = require(path.join(ROOT, "node_modules", "@resvg", "resvg-js"));

// Both scripts are written for the browser: they define globals (echarts, window.ExplainerChartStyle).
// ECharts first, while there is no window: it then knows it runs on a server.
vm.runInThisContext(fs.readFileSync(path.join(ROOT, "build", "echarts.min.js"), "utf8"));
globalThis.window = globalThis;
vm.runInThisContext(fs.readFileSync(path.join(ROOT, "docs", "javascripts", "chart-style.js"), "utf8"));
const style = globalThis.ExplainerChartStyle;
console.log = console.error; // stdout carries the answers only: whatever ECharts says goes to stderr
const SCALE = 2;

function render(request) {
  const width = request.width;
  const chartHeight = Math.max(request.height, request.minimum_height - style.chromeHeight(width, request.texts));
  const option = style.fitAxes(style.decorate(request.option, false), width);
  option.animation = false;
  const chart = globalThis.echarts.init(null, null, { renderer: "svg", ssr: true, width: width, height: chartHeight });
  chart.setOption(option);
  const drawn = style.publishedSvg(chart.renderToSVGString(), width, chartHeight, request.texts,
    { background: "#ffffff", color: "#222222" });
  chart.dispose();
  const image = new Resvg(drawn.svg, {
    fitTo: { mode: "zoom", value: SCALE },
    font: { fontFiles: [request.font], loadSystemFonts: false, defaultFontFamily: request.family,
            sansSerifFamily: request.family },
  });
  return { png: image.render().asPng().toString("base64") };
}

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  let answer;
  try {
    answer = render(JSON.parse(line));
  } catch (error) {
    answer = { error: String(error && error.stack || error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
