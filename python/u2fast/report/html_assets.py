"""The inline stylesheet and script of the HTML report (kept apart from the markup builder), and the
table wrapper whose classes they style and sort.

The script never uses innerHTML with data: every model text reaches the page through textContent,
so an answer containing markup shows as text.
"""

from __future__ import annotations

__all__ = ["SCRIPT", "STYLE", "scroll_table"]

STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1320px;padding:16px 24px;color:#1d2430}
h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #dde3ea;padding-bottom:4px}
.meta{color:#5a6472;font-size:13px}
table{border-collapse:collapse;margin:6px 0 12px;font-variant-numeric:tabular-nums}
th,td{border-bottom:1px solid #e5e9ef;padding:4px 8px;text-align:right;vertical-align:top}
th:first-child,td:first-child,td.t,th.t{text-align:left}
table.sortable th{cursor:pointer;user-select:none;background:#f4f6f9;position:sticky;top:0}
table.sortable th[aria-sort=ascending]::after{content:" \\25B2"}table.sortable th[aria-sort=descending]::after{content:" \\25BC"}
.ci{color:#6b7480;font-size:12px;display:block}
.scroll{overflow-x:auto;max-width:100%}
#leaderboard td:nth-child(2),#leaderboard th:nth-child(2){position:sticky;left:0;background:#fff;z-index:1;min-width:14em;max-width:22em;overflow-wrap:anywhere}
#leaderboard th{white-space:nowrap}
#leaderboard th:nth-child(2){background:#f4f6f9;z-index:2}
td.warn{color:#b3261e;font-weight:600}p.warn{color:#8a3b00;background:#fff4e5;border-left:3px solid #d9822b;padding:6px 10px}
svg.chart text{font:12px system-ui,sans-serif;fill:#1d2430}svg.chart .ptitle{font-weight:600}
svg.chart .axis{stroke:#8a94a3}svg.chart .whisker{stroke:#111;stroke-width:1.4;fill:none}
svg.chart .na{fill:#8a94a3}svg.chart .nocell{fill:#f1f3f6}svg.chart .cval{font-size:11px}
svg.chart .tick{font-size:11px;fill:#5a6472}svg.chart .axis-title{font-weight:600;fill:#3a4350}
svg.chart .meta-text,svg.chart .line-label{font-size:11px;fill:#5a6472}
svg.chart .cval{text-anchor:middle}svg.chart rect.zero{fill:#fff;stroke:#e5e9ef}svg.chart .cval.ink-light{fill:#fff}svg.chart .cval.ink-faint{fill:#9aa3ae}svg.chart .col.unparsed{fill:#a15c00}
svg.chart .band.bias-band{fill:#3b6fb6;opacity:.16}svg.chart .band.loa-band{fill:#b8465f;opacity:.13}
svg.chart .bias-line{stroke:#3b6fb6;stroke-width:1.6}svg.chart .loa-line{stroke:#b8465f;stroke-width:1.3;stroke-dasharray:5 3}
svg.chart .zero-line{stroke:#8a94a3;stroke-dasharray:2 3}svg.chart .pt{fill:#1d2430;fill-opacity:.55}
svg.chart .rank-interval{stroke-width:6;stroke-linecap:round;opacity:.5}svg.chart .p-first{font-weight:600}
svg.chart .forest-ci{stroke:#1d2430;stroke-width:1.4}svg.chart .forest-dot{fill:#3b6fb6}
svg.chart .forest-dot.worst{fill:#b3261e}svg.chart .forest-row.worst{fill:#b3261e;font-weight:600}
svg.chart .task-line{stroke:#8a94a3;stroke-dasharray:4 3}svg.chart .task-head{font-weight:700}
.chart-row{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}
details.scenario>summary,details.forest-model>summary{cursor:pointer;font-weight:600;margin:6px 0}
.warn-text{color:#b3261e;font-weight:600}h3{font-size:15px;margin:18px 0 6px}
.filters{display:flex;gap:12px;flex-wrap:wrap;align-items:center;margin:8px 0}
.filters label{font-size:13px;color:#3a4350;max-width:100%}.filters select{max-width:100%;text-overflow:ellipsis}
.case{display:grid;grid-template-columns:200px minmax(0,1fr);gap:12px;border:1px solid #e1e6ec;border-radius:6px;padding:10px;margin:8px 0}
.case img,.case .noimg{height:auto;border-radius:4px;background:#0c0c0c}
.case img{max-width:192px}.case .noimg{width:192px}
.case .thumb{position:relative;display:inline-block;line-height:0}
.case svg.overlay{position:absolute;left:0;top:0;width:100%;height:100%;pointer-events:none}
.overlay rect,.overlay circle{fill:none;stroke-width:2px;vector-effect:non-scaling-stroke}
.overlay .truth{stroke:#2ecc40}.overlay .answer{stroke:#ff851b;stroke-dasharray:4 2}
.side-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:8px;margin-top:8px}
.side-col{border-top:3px solid #dde3ea;padding-top:4px;min-width:0}.side-col[data-outcome=correct]{border-top-color:#1f7a3d}
.side-col[data-outcome=wrong]{border-top-color:#b3261e}.case .side-col dl{grid-template-columns:80px minmax(0,1fr)}
.case .noimg{height:120px;display:flex;align-items:center;justify-content:center;color:#bbb;font-size:12px}
.case dl{display:grid;grid-template-columns:110px minmax(0,1fr);gap:2px 10px;margin:0}
.case dt{color:#5a6472}.case dd{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
.case button.expand{margin-top:4px;font-size:12px;padding:2px 8px}
.outcome-correct{color:#1f7a3d;font-weight:600}.outcome-wrong{color:#b3261e;font-weight:600}
.outcome-unparsed,.outcome-api_error{color:#a15c00;font-weight:600}
button{font:inherit;padding:4px 12px}
/* phones: one column per case card, less padding, so that only the scroll boxes scroll sideways */
@media (max-width:640px){
body{padding:10px 12px}
.case{grid-template-columns:minmax(0,1fr)}
.case img,.case .noimg{width:100%;max-width:192px}
.case dl{grid-template-columns:84px minmax(0,1fr)}
#leaderboard td:nth-child(2),#leaderboard th:nth-child(2){min-width:8em;max-width:9em;font-size:13px}
}
"""

SCRIPT = r"""
(function () {
  "use strict";
  function sortValue(cell) {
    var v = cell.getAttribute("data-v");
    if (v !== null && v !== "") { var n = parseFloat(v); if (!isNaN(n)) { return n; } }
    return null;
  }
  function makeSortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, col) {
      th.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (ra, rb) {
          var a = ra.cells[col], b = rb.cells[col];
          var na = sortValue(a), nb = sortValue(b);
          var cmp;
          if (na === null && nb === null) { cmp = a.textContent.localeCompare(b.textContent); }
          else if (na === null) { return 1; } else if (nb === null) { return -1; }
          else { cmp = na - nb; }
          return asc ? cmp : -cmp;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), makeSortable);

  var dataNode = document.getElementById("u2-data");
  var browser = document.getElementById("case-browser");
  if (!dataNode || !browser) { return; }
  var data = JSON.parse(dataNode.textContent);
  // compact rows (report/cases.py browser_data): short keys, prompts and thumbnails by position
  var images = data.images;
  var cases = data.cases.map(function (r) {
    return {label: r.label, task: r.task, dataset_id: r.dataset_id, outcome: r.outcome, case_id: r.id,
            anatomy: r.an || "", image: r.im === undefined ? "" : r.im, prompt: data.prompts[r.p],
            answer: r.ans || "", prediction: r.pr || "", truth: r.tr || "", detail: r.d || "",
            truth_geometry: r.truth_geometry || [], answer_geometry: r.answer_geometry || []};
  });
  var list = document.getElementById("case-list");
  var count = document.getElementById("case-count");
  var more = document.getElementById("case-more");
  var filters = {label: "model", task: "task", dataset_id: "dataset", outcome: "outcome"};
  var selects = {};
  Object.keys(filters).forEach(function (field) {
    var select = document.getElementById("filter-" + filters[field]);
    var seen = {};
    cases.forEach(function (c) { seen[c[field]] = true; });
    Object.keys(seen).sort().forEach(function (value) {
      var opt = document.createElement("option");
      opt.value = value; opt.textContent = value; select.appendChild(opt);
    });
    select.addEventListener("change", function () { shown = 0; render(); });
    selects[field] = select;
  });
  var PAGE = 40, shown = 0, matching = [];
  // a long answer (a model that rambles for 100 KB) shows its start and a button for the rest,
  // so that one case does not turn the page into a wall of text
  var LONG = 1500;
  function field(dl, name, value, cls) {
    var dt = document.createElement("dt"); dt.textContent = name;
    var dd = document.createElement("dd");
    if (cls) { dd.className = cls; }
    dl.appendChild(dt); dl.appendChild(dd);
    if (value.length <= LONG) { dd.textContent = value; return; }
    var text = document.createElement("span"); text.textContent = value.slice(0, LONG) + "\u2026";
    var button = document.createElement("button"); button.type = "button"; button.className = "expand";
    button.textContent = "show all " + value.length + " characters";
    button.addEventListener("click", function () {
      var full = text.textContent.length <= LONG + 1;
      text.textContent = full ? value : value.slice(0, LONG) + "\u2026";
      button.textContent = full ? "show less" : "show all " + value.length + " characters";
    });
    dd.appendChild(text); dd.appendChild(document.createElement("br")); dd.appendChild(button);
  }
  function overlay(c) {
    var t = c.truth_geometry || [], a = c.answer_geometry || [];
    if (!t.length && !a.length) return null;
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 1 1"); svg.setAttribute("preserveAspectRatio", "none");
    svg.setAttribute("class", "overlay");
    [[t, "truth"], [a, "answer"]].forEach(function (g) {
      var v = g[0].map(Number), el = null;
      if (v.length === 4) {
        el = document.createElementNS(ns, "rect");
        el.setAttribute("x", v[0]); el.setAttribute("y", v[1]);
        el.setAttribute("width", Math.max(0, v[2] - v[0])); el.setAttribute("height", Math.max(0, v[3] - v[1]));
      } else if (v.length === 2) {
        el = document.createElementNS(ns, "circle");
        el.setAttribute("cx", v[0]); el.setAttribute("cy", v[1]); el.setAttribute("r", 0.02);
      }
      if (el) { el.setAttribute("class", g[1]); svg.appendChild(el); }
    });
    return svg;
  }
  function card(c) {
    var div = document.createElement("div"); div.className = "case";
    div.setAttribute("data-outcome", c.outcome);
    thumb(div, c);
    var dl = document.createElement("dl");
    field(dl, "case", c.case_id + "  (" + c.anatomy + ")");
    field(dl, "model", c.label);
    field(dl, "outcome", c.outcome + (c.detail ? " \u2014 " + c.detail : ""), "outcome-" + c.outcome);
    field(dl, "ground truth", c.truth + ((c.truth_geometry || []).length ? "  (drawn: green; answer: orange)" : ""));
    field(dl, "prediction", c.prediction === "" ? "(none)" : c.prediction);
    field(dl, "answer", c.answer, "answer");
    field(dl, "prompt", c.prompt, "prompt");
    div.appendChild(dl);
    return div;
  }
  // side by side: one card per case, the image and truth once, then a column per model's answer
  function groupCard(group) {
    var c0 = group[0];
    var div = document.createElement("div"); div.className = "case compare";
    div.setAttribute("data-case", c0.case_id);
    thumb(div, c0);
    var right = document.createElement("div");
    var dl = document.createElement("dl");
    field(dl, "case", c0.task + "/" + c0.dataset_id + " " + c0.case_id + "  (" + c0.anatomy + ")");
    field(dl, "ground truth", c0.truth);
    field(dl, "prompt", c0.prompt, "prompt");
    right.appendChild(dl);
    var grid = document.createElement("div"); grid.className = "side-grid";
    group.forEach(function (c) {
      var col = document.createElement("div"); col.className = "side-col";
      col.setAttribute("data-outcome", c.outcome);
      var d = document.createElement("dl");
      field(d, "model", c.label);
      field(d, "outcome", c.outcome + (c.detail ? " \u2014 " + c.detail : ""), "outcome-" + c.outcome);
      field(d, "prediction", c.prediction === "" ? "(none)" : c.prediction);
      field(d, "answer", c.answer, "answer");
      if (c.prompt !== c0.prompt) { field(d, "prompt", c.prompt, "prompt"); }
      col.appendChild(d); grid.appendChild(col);
    });
    right.appendChild(grid); div.appendChild(right);
    return div;
  }
  function thumb(div, c) {
    var url = images[c.image];
    if (url) {
      var img = document.createElement("img"); img.src = url; img.alt = "image of case " + c.case_id;
      var shapes = overlay(c);
      if (shapes) {
        var wrap = document.createElement("div"); wrap.className = "thumb";
        wrap.appendChild(img); wrap.appendChild(shapes); div.appendChild(wrap);
      } else {
        div.appendChild(img);
      }
    } else {
      var ph = document.createElement("div"); ph.className = "noimg"; ph.textContent = "image unavailable";
      div.appendChild(ph);
    }
  }
  var side = document.getElementById("side-by-side");
  function render() {
    var grouped = side !== null && side.checked;
    if (shown === 0) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      matching = cases.filter(function (c) {
        return Object.keys(selects).every(function (f) { var v = selects[f].value; return v === "" || c[f] === v; });
      });
      if (grouped) {
        var order = [], byCase = {};
        matching.forEach(function (c) {
          var key = c.task + "\u0000" + c.dataset_id + "\u0000" + c.case_id;
          if (!Object.prototype.hasOwnProperty.call(byCase, key)) { byCase[key] = []; order.push(key); }
          byCase[key].push(c);
        });
        matching = order.map(function (key) { return byCase[key]; });
      }
    }
    var end = Math.min(matching.length, shown + PAGE);
    for (var i = shown; i < end; i++) { list.appendChild(grouped ? groupCard(matching[i]) : card(matching[i])); }
    shown = end;
    count.textContent = grouped
      ? "showing " + shown + " of " + matching.length + " cases side by side (" + cases.length + " answers in all)"
      : "showing " + shown + " of " + matching.length + " matching (" + cases.length + " in all)";
    more.hidden = shown >= matching.length;
  }
  if (side !== null) { side.addEventListener("change", function () { shown = 0; render(); }); }
  more.addEventListener("click", render);
  render();
})();
"""


def scroll_table(element_id: str, ths: str, body: str, *, sortable: bool = False) -> str:
    """A table of rendered heading cells ``ths`` and rows ``body`` in a box that scrolls sideways
    (``.scroll``); a ``sortable`` one is sorted by the script when a heading is clicked."""
    cls = ' class="sortable"' if sortable else ""
    return (f'<div class="scroll"><table id="{element_id}"{cls}><thead><tr>{ths}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")
