"""Coordination diagrams as PNG and SVG for reports and meetings, with Chinese labels that render.

``policykg analyze coordination --out x.png`` and the Coordination page's downloads draw with it.

Agencies are circles sized by the actions they lead, coloured by community;
edges are as thick as the number of actions two agencies share. Text is drawn
with an installed CJK font (Noto Sans CJK, WenQuanYi, Source Han …) and SVG
keeps glyphs as outlines, so the file shows the same characters everywhere.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import networkx as nx

from views.draw import CORRECTED_STYLE

CJK_FONT_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "Source Han Sans SC",
                     "Source Han Sans CN", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "AR PL UMing CN",
                     "Droid Sans Fallback", "SimHei", "Microsoft YaHei", "PingFang SC")
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7",
           "#9c755f", "#bab0ac")


class NoCJKFont(RuntimeError):
    """No font with Chinese glyphs is installed."""


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """The first installed font family that has Chinese glyphs."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    for family in CJK_FONT_FAMILIES:
        if family in installed:
            return family
    raise NoCJKFont("no font with Chinese characters is installed; on Debian/Ubuntu: apt-get install fonts-noto-cjk")


def draw_coordination(network: nx.Graph, out: str | Path, title: str = "", seed: int = 7) -> Path:
    """Write the coordination network to ``out`` (.png or .svg)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from queries.analytics import community_of

    out = Path(out)
    if out.suffix.lower() not in (".png", ".svg"):
        raise ValueError(f"{out}: a diagram is .png or .svg")
    family = cjk_font()
    plt.rcParams.update({"font.family": family, "svg.fonttype": "path", "axes.unicode_minus": False})
    figure, axes = plt.subplots(figsize=(14, 10), dpi=150)
    axes.set_axis_off()
    if network.number_of_nodes():
        communities = community_of(network, seed)
        spacing = 1.4 / max(1, network.number_of_nodes()) ** 0.5
        positions = nx.spring_layout(network, weight="weight", seed=seed, k=spacing)
        links = list(network.edges(data=True))
        plain = [(a, b) for a, b, data in links if not data.get("correction")]
        corrected = [(a, b) for a, b, data in links if data.get("correction")]
        for edges, colour, alpha, style in ((plain, "#9aa5b1", 0.6, "solid"),
                                            (corrected, CORRECTED_STYLE["color"], 0.9, "dashed")):
            if edges:
                widths = [0.6 + 0.8 * network.edges[a, b]["weight"] for a, b in edges]
                nx.draw_networkx_edges(network, positions, edgelist=edges, ax=axes, width=widths, edge_color=colour,
                                       alpha=alpha, style=style)
        nodes = list(network.nodes)
        sizes = [300 + 260 * network.nodes[n]["leads"] for n in nodes]
        colours = [PALETTE[communities[n] % len(PALETTE)] for n in nodes]
        edge_colours = ["#222222" if network.nodes[n]["explicit_leads"] else "#ffffff" for n in nodes]
        nx.draw_networkx_nodes(network, positions, nodelist=nodes, node_size=sizes, node_color=colours,
                               edgecolors=edge_colours, linewidths=1.5, ax=axes)
        labels = {n: network.nodes[n].get("name", n) for n in nodes}
        drawn = nx.draw_networkx_labels(network, positions, labels=labels, font_family=family, font_size=8,
                                        ax=axes)
        for text in drawn.values():
            text.set_parse_math(False)  # names come from documents: "$…$" is text, not TeX
    axes.set_title(title or "机构协作网络 Coordination network", fontsize=14, parse_math=False)
    axes.text(0.0, -0.02, "圆大小 = 牵头行动数 · 线粗细 = 共同行动数 · 颜色 = 社群 · 黑边 = 明确牵头\n"
              "size = actions led · width = actions shared · colour = community · black ring = explicit lead",
              transform=axes.transAxes, fontsize=8, color="#444444", va="top")
    if any(data.get("correction") for _, _, data in network.edges(data=True)):
        line = f"{CORRECTED_STYLE['diagram_zh']} · {CORRECTED_STYLE['diagram_en']}"
        axes.text(0.0, -0.06, line, transform=axes.transAxes, fontsize=8, color=CORRECTED_STYLE["color"], va="top",
                  parse_math=False)
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, bbox_inches="tight")
    plt.close(figure)
    return out
