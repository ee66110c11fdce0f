// The site's own ECharts build: only what the charts draw, bundled by esbuild at install time
// (`make build/echarts.min.js` from the pinned echarts package; see the Makefile). It defines
// window.echarts with the calls the site makes, so docs/javascripts/charts.js and embed.js
// work with it as they would with the full build (362 KB gzipped; this one is about half).
//
// What the charts use (options from build_scripts/charts.py, drawn by charts.js and embed.js):
//   bar series, category and value axes (grid), item tooltips
//   with the source sentence, the legend of result-vs-plan charts, dataset (options may use
//   it), aria (the text alternative) and one renderer: SVG, so a chart can be saved as shown
//   as SVG (the PNG is drawn from that SVG). echarts.init(…, {renderer: "canvas"}) falls
//   back to the only registered renderer. No title, markLine, dataZoom or map: none is used.
import { use } from "echarts/core";
import { BarChart } from "echarts/charts";
import {
  AriaComponent, DatasetComponent, GridComponent, LegendComponent, TooltipComponent
} from "echarts/components";
import { SVGRenderer } from "echarts/renderers";

use([BarChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent,
  DatasetComponent, SVGRenderer]);

// The public calls the site's scripts make; everything else in echarts/core stays out.
export {
  connect, disconnect, dispose, getInstanceByDom, init, registerTheme, use, version
} from "echarts/core";
