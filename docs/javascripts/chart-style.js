// Chart styling shared by the site's charts (charts.js) and the embed pages (embed.js): axes fitted to
// the chart's width (a 375 px phone gets fewer ticks, compact numbers and wrapped labels) and colours
// and tooltips that read on both palettes. Loaded before either script; it draws nothing itself.
(function () {
  "use strict";

  function escapeHtml(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
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

  // Lines of at most `size`-pixel characters that fit `width`. Chinese has no spaces to break at, but parts
  // set apart by an ideographic space (时期：…　单位：…) stay whole on a line when they fit.
  function wrapped(text, width, size) {
    var perLine = Math.max(8, Math.floor(width / size)), lines = [], line = "";
    text.split("\u3000").forEach(function (part) {
      var joined = line ? line + "\u3000" + part : part;
      if (joined.length <= perLine) { line = joined; return; }
      if (line) lines.push(line);
      for (line = part; line.length > perLine; line = line.slice(perLine)) lines.push(line.slice(0, perLine));
    });
    if (line) lines.push(line);
    return lines;
  }

  // A chart's SVG (`inner`, width × height) as a published chart: its finding and what it shows above it,
  // notes and the source under it, on a background of its own. Used by the PNG/SVG downloads (embed.js)
  // and by the build's share images (build_scripts/echarts/share_image.js), so both carry the same.
  function publishedSvg(inner, width, height, texts, colours) {
    var pad = 12;
    function textLines(text, size, weight) {
      return wrapped(text || "", width - 2 * pad, size).map(function (line) { return { text: line, size: size, weight: weight }; });
    }
    var head = textLines(texts.title, 16, 700).concat(textLines(texts.subtitle, 12, 400));
    var foot = textLines(texts.note, 11, 400).concat(textLines(texts.credit, 11, 400));
    function block(lines, top) {
      var y = top, out = "";
      lines.forEach(function (line) {
        y += line.size * 1.4;
        out += '<text x="' + pad + '" y="' + y + '" font-size="' + line.size + '" font-weight="' + line.weight +
          '" fill="' + escapeHtml(colours.color) + '" font-family="sans-serif">' + escapeHtml(line.text) + "</text>";
      });
      return { svg: out, bottom: y };
    }
    var top = block(head, pad / 2);
    var chartTop = top.bottom + pad / 2;
    var bottom = block(foot, chartTop + height);
    var total = Math.ceil(bottom.bottom + pad);
    var placed = inner.replace(/^<svg/, '<svg x="0" y="' + chartTop + '"');
    var svg = '<svg xmlns="http://www.w3.org/2000/svg" width="' + width + '" height="' + total + '" viewBox="0 0 ' +
      width + " " + total + '"><rect width="100%" height="100%" fill="' + escapeHtml(colours.background) + '"/>' +
      top.svg + placed + bottom.svg + "</svg>";
    return { svg: svg, width: width, height: total };
  }

  // Pixels the title, subtitle, note and credit take around a chart `width` wide (publishedSvg's layout).
  function chromeHeight(width, texts) {
    return publishedSvg("<svg></svg>", width, 0, texts, { color: "#000", background: "#fff" }).height;
  }

  window.ExplainerChartStyle = {
    NARROW: NARROW, TICK_SPACE: TICK_SPACE, escapeHtml: escapeHtml, compactNumber: compactNumber,
    fitAxes: fitAxes, decorate: decorate, publishedSvg: publishedSvg,
    chromeHeight: chromeHeight
  };
})();
