"""Offline HTML network view of the reform knowledge graph (pyvis / vis-network).

``write_html(graph, path)`` writes ONE self-contained UTF-8 HTML file:

* the vis-network JS/CSS that ships inside the pyvis package is read from disk
  and inlined -- the page references no remote resource at all (pyvis' own
  template links Bootstrap from a CDN in every mode, so it is not used; pyvis'
  ``Node`` and ``Edge`` assemble the records -- ``Network.add_node``/``add_edge``
  scan lists for duplicates, 18 s at 22,000 nodes);
* nodes are coloured/shaped by ``kind``, a plain-HTML legend lists the kinds
  and relations present;
* tooltips show label, kind, the ``info`` lines and the IRI as *plain text*;
  an edge's tooltip shows its relation and the ``evidence`` sentences it was read from
  (vis-network puts string titles in with ``innerText``, so no user text is
  ever parsed as HTML; text placed in the HTML itself is ``html.escape``-d and
  JSON inside ``<script>`` has ``<``/``>``/``&`` escaped);
* labels are drawn only where readable and free (LABEL_* below): at the first view the most
  connected nodes get a label of at least LABEL_MIN_PX that overlaps no other, the rest
  show as one zooms in (and in every tooltip);
* a search box selects and focuses the nodes whose label or IRI contains the
  typed text (Enter cycles through matches, Esc clears);
* barnesHut physics runs a fixed number of stabilisation iterations with
  ``layout.randomSeed = seed`` and is then switched off, so large graphs
  (2,000 nodes) stay usable and the layout is deterministic.

Hooks for tests: ``window.reformkgNodes`` / ``window.reformkgEdges`` (the vis
DataSets), ``window.reformkgNetwork``, ``window.reformkgKinds`` (kind -> style),
``document.body.dataset.ready == "1"`` once stabilised and drawn,
``document.body.dataset.physics == "off"`` after physics is stopped and
``window.reformkgStabiliseMs`` (time from script start to ready), ``window.reformkgPin(id)`` (the click
panel), ``window.reformkgPlaceLabels()`` (labels for the current scale, run after each zoom) and
``document.body.dataset.labels`` (how many are drawn).
"""

from __future__ import annotations

import html
import json
import os
import zlib
from collections import Counter, defaultdict
from pathlib import Path

import pyvis
from pyvis.edge import Edge
from pyvis.node import Node

from .outdir import replaced_whole

__all__ = ["write_html", "KIND_STYLES", "RELATION_COLOURS"]

# kind -> (colour, vis shape, Chinese name, node size)
KIND_STYLES: dict[str, dict] = {
    "Locality": {"color": "#4e79a7", "shape": "dot", "zh": "地方", "size": 16},
    "Agency": {"color": "#f28e2b", "shape": "square", "zh": "机构", "size": 14},
    "Mechanism": {"color": "#e15759", "shape": "diamond", "zh": "机制", "size": 17},
    "Concept": {"color": "#59a14f", "shape": "triangle", "zh": "概念", "size": 14},
    "Metric": {"color": "#b07aa1", "shape": "star", "zh": "指标", "size": 16},
    "Article": {"color": "#9c755f", "shape": "hexagon", "zh": "文章", "size": 12},
}
_OTHER_STYLE = {"color": "#8c8c8c", "shape": "dot", "zh": "其他", "size": 10}
_KIND_ORDER = list(KIND_STYLES)

RELATION_COLOURS: dict[str, str] = {
    "adopts": "#e15759",
    "yields": "#59a14f",
    "partOf": "#4e79a7",
    "broader": "#76b7b2",
    "locality": "#edc948",
    "memberOf": "#f28e2b",
    "mentions": "#bab0ac",
}
_EXTRA_PALETTE = ["#ff9da7", "#af7aa1", "#9c755f", "#17becf", "#bcbd22", "#7f7f7f", "#1f77b4", "#d62728"]
_DASHED_RELATIONS = {"mentions"}

# the node a view is drawn around (kg viz --focus): twice the size, a dark ring, its label drawn first
# and at LABEL_MAX_PX
FOCUS_STYLE = {"focus": True, "borderWidth": 5, "shapeProperties": {"borderDashes": False}}
EDGE_LABEL_LIMIT = 800  # above this many edges relation labels move to the tooltip only
# labels are drawn only where they are readable and free: at least LABEL_MIN_PX high on screen (LABEL_MAX_PX
# at most), not overlapping another label, LABELS_PER_VIEW at a time, the focus, the selected nodes and
# then the most connected first; the others show on zoom and in the tooltip
LABEL_FONT = 14
LABEL_MIN_PX = 12
LABEL_MAX_PX = 18
LABELS_PER_VIEW = 60
MAX_INFO_LINES = 20
MAX_INFO_CHARS = 3000
_FONT = "'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','WenQuanYi Micro Hei','Microsoft YaHei','PingFang SC',sans-serif"

_VIS_DIR = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"


def _relation_colour(rel: str) -> str:
    if rel in RELATION_COLOURS:
        return RELATION_COLOURS[rel]
    return _EXTRA_PALETTE[zlib.crc32(rel.encode("utf-8")) % len(_EXTRA_PALETTE)]


def _local_name(iri: str) -> str:
    s = iri.rstrip("/#")
    for sep in ("#", "/", ":"):
        if sep in s:
            tail = s.rsplit(sep, 1)[1]
            if tail:
                return tail
    return iri or "?"


def _text(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _tooltip(label: str, kind: str, iri: str, info: str) -> str:
    zh = KIND_STYLES.get(kind, _OTHER_STYLE)["zh"]
    lines = [label, f"类型: {zh} ({kind or '?'})"]
    info_lines = [ln.rstrip() for ln in info.splitlines() if ln.strip()]
    if len(info_lines) > MAX_INFO_LINES:
        extra = len(info_lines) - MAX_INFO_LINES
        info_lines = info_lines[:MAX_INFO_LINES] + [f"… (+{extra})"]
    body = "\n".join(info_lines)
    if len(body) > MAX_INFO_CHARS:
        body = body[:MAX_INFO_CHARS] + " …"
    if body:
        lines.append(body)
    lines.append(iri)
    return "\n".join(lines)


def _position(data: dict) -> dict:
    """A node placed by its graph (x, y: a timeline) stays where it is put."""
    if data.get("x") is None:
        return {}
    return {"x": float(data["x"]), "y": float(data.get("y", 0)), "fixed": {"x": True, "y": True}}


def _script_json(obj) -> str:
    """JSON that is safe inside an inline <script> element."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (
        s.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _legend_glyph(shape: str, colour: str) -> str:
    c = html.escape(colour)
    if shape == "square":
        g = f'<rect x="2" y="2" width="12" height="12" fill="{c}"/>'
    elif shape == "diamond":
        g = f'<polygon points="8,1 15,8 8,15 1,8" fill="{c}"/>'
    elif shape == "triangle":
        g = f'<polygon points="8,1 15,14 1,14" fill="{c}"/>'
    elif shape == "star":
        g = f'<polygon points="8,1 10,6 15,6 11,9.5 12.5,15 8,11.5 3.5,15 5,9.5 1,6 6,6" fill="{c}"/>'
    elif shape == "hexagon":
        g = f'<polygon points="4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8" fill="{c}"/>'
    else:
        g = f'<circle cx="8" cy="8" r="6.5" fill="{c}"/>'
    return f'<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">{g}</svg>'


def _read_vis_asset(name: str) -> str:
    text = (_VIS_DIR / name).read_text(encoding="utf-8")
    # never let the inlined library close our own element early
    return text.replace("</script", "<\\/script") if name.endswith(".js") else text.replace("</style", "<\\/style")


def _physics_budget(n: int) -> tuple[int, float]:
    """(stabilisation iterations, barnesHut theta) -- fewer, coarser steps for big graphs.

    vis-network's barnesHut costs ~50-100 ms per iteration at 2,000 nodes on a
    slow CPU, so the budget keeps a 2,000-node page around 10 s to "ready".
    """
    if n <= 300:
        return 400, 0.5
    if n <= 1000:
        return 200, 0.6
    return 120, 0.8


def write_html(graph, path, *, title: str = "reformkg", seed: int = 7) -> int:
    """Write the graph as one self-contained UTF-8 HTML file; return the number of nodes drawn."""
    nodes, edges = [], []
    kinds_present: Counter = Counter()
    labels: dict[str, str] = {}
    node_items = sorted(graph.nodes(data=True), key=lambda item: str(item[0]))
    for node, data in node_items:
        iri = _text(node)
        kind = _text(data.get("kind"))
        style = KIND_STYLES.get(kind, _OTHER_STYLE)
        label = _text(data.get("label")).strip() or _local_name(iri)
        labels[iri] = label
        kinds_present[kind if kind in KIND_STYLES else "Other"] += 1
        colour = style["color"]
        focused = node == graph.graph.get("focus")
        nodes.append(Node(
            iri,
            style["shape"],
            label=label,
            color={
                "background": colour,
                "border": "#111111" if focused else colour,
                "highlight": {"background": colour, "border": "#111111"},
                "hover": {"background": colour, "border": "#333333"},
            },
            size=style["size"] * (2 if focused else 1),
            title=_tooltip(label, kind, iri, _text(data.get("info"))),
            kind=kind or "Other",
            **FOCUS_STYLE if focused else {},
            **_position(data),
        ).options)

    edge_items = sorted(
        graph.edges(keys=True, data=True),
        key=lambda e: (str(e[0]), str(e[1]), _text(e[3].get("relation")), str(e[2])),
    )
    show_edge_labels = len(edge_items) <= EDGE_LABEL_LIMIT
    relations_present: Counter = Counter()
    pair_count: dict[tuple, int] = defaultdict(int)
    for u, v, _key, data in edge_items:
        su, sv = _text(u), _text(v)
        rel = _text(data.get("relation")) or "related"
        relations_present[rel] += 1
        colour = _relation_colour(rel)
        pair = tuple(sorted((su, sv)))
        k = pair_count[pair]
        pair_count[pair] += 1
        tip = f"{labels.get(su, su)} —{rel}→ {labels.get(sv, sv)}"
        tip += "".join(f"\n证据: {line}" for line in _text(data.get("evidence")).splitlines()[:MAX_INFO_LINES])
        opts = {
            "title": tip,
            "relation": rel,
            "color": {"color": colour, "highlight": colour, "hover": colour, "inherit": False, "opacity": 0.85},
        }
        if show_edge_labels:
            opts["label"] = rel
        if rel in _DASHED_RELATIONS:
            opts["dashes"] = True
        if k:  # parallel edge between the same two nodes: bend it so it stays visible
            opts["smooth"] = {"enabled": True, "type": "curvedCW" if k % 2 else "curvedCCW",
                              "roundness": 0.2 * ((k + 1) // 2)}
        edges.append(Edge(su, sv, directed=True, **opts).options)

    n_nodes = len(nodes)
    n_edges = len(edges)
    big = n_nodes > 500 or n_edges > 1000
    iterations, theta = _physics_budget(n_nodes)
    options = {
        "autoResize": True,
        "layout": {"randomSeed": int(seed), "improvedLayout": n_nodes <= 150},
        "nodes": {
            "font": {"face": _FONT, "size": LABEL_FONT, "color": "#222222", "strokeWidth": 3,
                     "strokeColor": "#ffffff"},
            "scaling": {"label": {"drawThreshold": LABEL_MIN_PX, "maxVisible": LABEL_MAX_PX}},
            "borderWidth": 1,
            "borderWidthSelected": 3,
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "width": 1,
            "selectionWidth": 2,
            "font": {"face": _FONT, "size": 10, "color": "#555555", "strokeWidth": 3,
                     "strokeColor": "#ffffff", "align": "middle"},
            "scaling": {"label": {"drawThreshold": LABEL_MIN_PX + 1}},  # hidden below LABEL_MIN_PX
            "smooth": False if big else {"enabled": True, "type": "continuous", "roundness": 0.3},
        },
        "physics": {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {"theta": theta, "gravitationalConstant": -6000, "centralGravity": 0.3,
                          "springLength": 110, "springConstant": 0.04, "damping": 0.4,
                          "avoidOverlap": 0 if big else 0.1},
            "adaptiveTimestep": not big,
            "maxVelocity": 50,
            "minVelocity": 0.75,
            "timestep": 0.5,
            "stabilization": {"enabled": True, "iterations": iterations,
                              "updateInterval": 25, "fit": True},
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big,
                        "hideEdgesOnZoom": big, "navigationButtons": False, "keyboard": False},
    }

    kinds_order = [k for k in _KIND_ORDER if kinds_present.get(k)] + (["Other"] if kinds_present.get("Other") else [])
    kind_styles = {k: dict(KIND_STYLES.get(k, _OTHER_STYLE)) for k in kinds_order}
    legend_rows = []
    for k in kinds_order:
        st = kind_styles[k]
        legend_rows.append(
            f'<div class="row kind" data-kind="{html.escape(k)}" title="click: hide or show">'
            f'{_legend_glyph(st["shape"], st["color"])}'
            f'<span>{html.escape(st["zh"])} {html.escape(k)}</span><span class="n">{kinds_present[k]}</span></div>'
        )
    rel_rows = []
    for rel in sorted(relations_present, key=lambda r: (-relations_present[r], r)):
        dash = ' stroke-dasharray="4 3"' if rel in _DASHED_RELATIONS else ""
        rel_rows.append(
            f'<div class="row"><svg width="22" height="10" aria-hidden="true"><line x1="1" y1="5" x2="16" y2="5" '
            f'stroke="{html.escape(_relation_colour(rel))}" stroke-width="2"{dash}/>'
            f'<polygon points="15,1.5 21,5 15,8.5" fill="{html.escape(_relation_colour(rel))}"/></svg>'
            f'<span>{html.escape(rel)}</span><span class="n">{relations_present[rel]}</span></div>'
        )
    legend_html = '<div class="h">类型 Kinds</div>' + "".join(legend_rows)
    if rel_rows:
        legend_html += '<div class="h">关系 Relations</div>' + "".join(rel_rows)

    page = _PAGE.format(
        title=html.escape(title),
        vis_css=_read_vis_asset("vis-network.css"),
        vis_js=_read_vis_asset("vis-network.min.js"),
        font=_FONT,
        n_nodes=n_nodes,
        n_edges=n_edges,
        note=html.escape(_text(graph.graph.get("note"))),
        legend=legend_html,
        nodes_json=_script_json(nodes),
        edges_json=_script_json(edges),
        options_json=_script_json(options),
        kinds_json=_script_json(kind_styles),
        labels_json=_script_json({"font": LABEL_FONT, "min": LABEL_MIN_PX, "max": LABEL_MAX_PX,
                                  "most": LABELS_PER_VIEW, "face": _FONT}),
    )
    with replaced_whole(Path(os.fspath(path))) as stream:
        stream.write(page.encode("utf-8"))
    return n_nodes


_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{vis_css}</style>
<style>
html, body {{ margin: 0; padding: 0; height: 100%; overflow: hidden; background: #ffffff;
  font-family: {font}; font-size: 13px; color: #222; }}
#mynetwork {{ position: absolute; inset: 0; }}
#topbar {{ position: absolute; top: 8px; left: 8px; z-index: 10; display: flex; gap: 8px; align-items: center;
  background: rgba(255,255,255,0.92); border: 1px solid #ddd; border-radius: 6px; padding: 6px 10px; }}
#topbar h1 {{ font-size: 15px; margin: 0 6px 0 0; font-weight: 600; }}
#search {{ width: 16em; padding: 3px 6px; font: inherit; border: 1px solid #bbb; border-radius: 4px; }}
#matches, #status, #note {{ color: #666; min-width: 4em; }}
#status {{ white-space: nowrap; }}
#legend {{ position: absolute; bottom: 8px; left: 8px; z-index: 10; background: rgba(255,255,255,0.92);
  border: 1px solid #ddd; border-radius: 6px; padding: 6px 10px; max-height: 60vh; overflow: auto; }}
#legend .h {{ font-weight: 600; margin: 4px 0 2px; }}
#legend .row {{ display: flex; align-items: center; gap: 6px; line-height: 20px; }}
#legend .n {{ color: #888; margin-left: auto; padding-left: 10px; }}
#legend .kind {{ cursor: pointer; }}
#legend .kind.off {{ opacity: 0.35; }}
#panel {{ position: absolute; top: 8px; right: 8px; z-index: 11; width: 30em; max-height: 85vh; overflow: auto;
  background: rgba(255,255,255,0.97); border: 1px solid #bbb; border-radius: 6px; padding: 8px 12px;
  white-space: pre-wrap; word-break: break-word; line-height: 1.45; }}
#unpin {{ float: right; border: none; background: none; font-size: 18px; cursor: pointer; }}
div.vis-tooltip {{ white-space: pre-wrap; max-width: 36em; word-break: break-word; font-family: {font};
  font-size: 13px; line-height: 1.45; }}
</style>
</head>
<body data-ready="0" data-physics="on">
<div id="mynetwork"></div>
<div id="topbar">
  <h1>{title}</h1>
  <input id="search" type="search" placeholder="搜索节点 Search…" autocomplete="off" aria-label="search nodes">
  <span id="matches"></span>
  <span id="status">{n_nodes} 节点 · {n_edges} 边</span>
  <span id="note">{note}</span>
</div>
<div id="legend">{legend}</div>
<div id="panel" hidden><button id="unpin" type="button" aria-label="close">×</button><div id="pinned"></div></div>
<script>{vis_js}</script>
<script>
(function () {{
  "use strict";
  var t0 = (window.performance && performance.now) ? performance.now() : Date.now();
  var nodes = new vis.DataSet({nodes_json});
  var edges = new vis.DataSet({edges_json});
  var options = {options_json};
  window.reformkgNodes = nodes;
  window.reformkgEdges = edges;
  window.reformkgKinds = {kinds_json};
  var status = document.getElementById("status");
  var baseStatus = status.textContent;
  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, {{nodes: nodes, edges: edges}}, options);
  window.reformkgNetwork = network;

  // a click pins a panel with the node's tooltip and each of its relations with their evidence
  var panel = document.getElementById("panel"), pinned = document.getElementById("pinned");
  function pin(id) {{
    var node = id === undefined ? null : nodes.get(id);
    if (!node) {{ panel.hidden = true; return; }}
    var said = network.getConnectedEdges(id).map(function (e) {{ return edges.get(e).title; }});
    pinned.textContent = node.title + (said.length ? "\\n\\n" + said.join("\\n\\n") : "");
    panel.hidden = false;
  }}
  window.reformkgPin = pin;
  network.on("click", function (p) {{ pin(p.nodes[0]); }});
  document.getElementById("unpin").addEventListener("click", function () {{ pin(); }});
  // labels: only those that are readable and do not overlap at the current scale (see LABEL_* in kg/viz.py)
  var labelRule = {labels_json};
  var widths = {{}}, measure = document.createElement("canvas").getContext("2d");
  measure.font = "100px " + labelRule.face;
  nodes.forEach(function (n) {{
    widths[n.id] = String(n.label || "").split("\\n").reduce(function (w, line) {{
      return Math.max(w, measure.measureText(line).width / 100); }}, 0);
  }});
  var byDegree = nodes.getIds().map(function (id) {{ return [id, network.getConnectedEdges(id).length]; }})
    .sort(function (a, b) {{ return b[1] - a[1]; }}).map(function (p) {{ return p[0]; }});
  function placeLabels() {{
    var scale = network.getScale(), at = network.getPositions();
    var w = container.clientWidth, h = container.clientHeight, placed = [], updates = [];
    var first = network.getSelectedNodes().concat(nodes.getIds({{filter: function (n) {{ return n.focus; }}}}));
    first.concat(byDegree.filter(function (id) {{ return first.indexOf(id) === -1; }})).forEach(function (id) {{
      var n = nodes.get(id), size = 0;
      var px = n.focus ? labelRule.max : Math.min(labelRule.max, Math.max(labelRule.min, labelRule.font * scale));
      if (!n.hidden && placed.length < labelRule.most) {{
        var p = network.canvasToDOM(at[id]), lines = String(n.label || "").split("\\n").length;
        var half = widths[id] * px / 2 + 4, top = p.y + (n.size || 10) * scale;
        var box = [p.x - half, top, p.x + half, top + lines * px * 1.3 + 8];
        var free = box[0] >= 0 && box[2] <= w && box[3] <= h && box[1] >= 0 && placed.every(function (b) {{
          return box[2] <= b[0] || b[2] <= box[0] || box[3] <= b[1] || b[3] <= box[1]; }});
        if (free) {{ placed.push(box); size = px / scale; }}
      }}
      if (!n.font || n.font.size !== size) updates.push({{id: id, font: {{size: size}}}});
    }});
    nodes.update(updates);
    document.body.dataset.labels = placed.length;
  }}
  var labelTimer = null;
  function placeLabelsSoon() {{
    if (labelTimer) clearTimeout(labelTimer);
    labelTimer = setTimeout(placeLabels, 120);
  }}
  ["zoom", "dragEnd", "animationFinished", "resize"].forEach(function (ev) {{ network.on(ev, placeLabelsSoon); }});
  window.reformkgPlaceLabels = placeLabels;

  // the legend's kinds hide and show their nodes
  Array.prototype.forEach.call(document.querySelectorAll("#legend .kind"), function (row) {{
    row.addEventListener("click", function () {{
      var off = row.classList.toggle("off");
      nodes.update(nodes.get({{filter: function (n) {{ return n.kind === row.dataset.kind; }}}})
        .map(function (n) {{ return {{id: n.id, hidden: off}}; }}));
      placeLabels();
    }});
  }});

  function markReady() {{
    if (document.body.dataset.ready === "1") return;
    network.once("afterDrawing", function () {{
      var now = (window.performance && performance.now) ? performance.now() : Date.now();
      window.reformkgStabiliseMs = Math.round(now - t0);
      status.textContent = baseStatus;
      document.body.dataset.ready = "1";
    }});
    network.redraw();
  }}
  network.on("stabilizationProgress", function (p) {{
    status.textContent = "布局 " + Math.round(100 * p.iterations / p.total) + "%";
  }});
  network.once("stabilizationIterationsDone", function () {{
    network.setOptions({{physics: false}});
    document.body.dataset.physics = "off";
    network.fit();
    // leave a margin so the overlays (title bar, legend) cover less of the graph
    network.moveTo({{scale: network.getScale() * 0.9}});
    placeLabels();
    markReady();
  }});
  if (nodes.length === 0) {{
    network.setOptions({{physics: false}});
    document.body.dataset.physics = "off";
    markReady();
  }}

  // ---- search / filter box ----
  var input = document.getElementById("search");
  var matchesEl = document.getElementById("matches");
  var matches = [], cursor = -1, timer = null;
  function focusNode(id) {{
    network.focus(id, {{scale: Math.max(network.getScale(), 1.2), animation: {{duration: 350}}}});
  }}
  function runSearch() {{
    var q = input.value.trim().toLowerCase();
    matches = []; cursor = -1;
    if (!q) {{ network.unselectAll(); matchesEl.textContent = ""; return; }}
    nodes.forEach(function (n) {{
      var label = String(n.label || "").toLowerCase();
      var id = String(n.id).toLowerCase();
      if (label.indexOf(q) !== -1 || id.indexOf(q) !== -1) matches.push(n.id);
    }});
    network.selectNodes(matches, false);
    matchesEl.textContent = matches.length + " 个匹配";
    if (matches.length === 1) {{ cursor = 0; focusNode(matches[0]); }}
    else if (matches.length > 1) {{ network.fit({{nodes: matches, animation: {{duration: 350}}}}); }}
  }}
  window.reformkgSearch = function (text) {{ input.value = text; runSearch(); return matches.slice(); }};
  input.addEventListener("input", function () {{
    if (timer) clearTimeout(timer);
    timer = setTimeout(runSearch, 150);
  }});
  input.addEventListener("keydown", function (ev) {{
    if (ev.key === "Enter") {{
      if (timer) {{ clearTimeout(timer); timer = null; runSearch(); }}
      if (matches.length) {{
        cursor = (cursor + 1) % matches.length;
        network.selectNodes(matches, false);
        focusNode(matches[cursor]);
        matchesEl.textContent = (cursor + 1) + "/" + matches.length + " 个匹配";
      }}
    }} else if (ev.key === "Escape") {{
      input.value = ""; runSearch();
    }}
  }});
}})();
</script>
</body>
</html>
"""
