// For tests/test_charts.py: the option ECharts ends with (getOption) for each option given, one JSON per line
// on stdin and stdout, drawn by the site's own ECharts build on the server (as share_image.js draws).
"use strict";

const fs = require("fs");
const path = require("path");
const vm = require("vm");

console.log = console.error; // stdout carries the answers only
vm.runInThisContext(fs.readFileSync(path.join(__dirname, "..", "build", "echarts.min.js"), "utf8"));
for (const line of fs.readFileSync(0, "utf8").split("\n").filter(Boolean)) {
  const chart = globalThis.echarts.init(null, null, { renderer: "svg", ssr: true, width: 600, height: 300 });
  chart.setOption(JSON.parse(line));
  process.stdout.write(JSON.stringify(chart.getOption()) + "\n");
  chart.dispose();
}
