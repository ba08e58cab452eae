"""Charts of co-occurrence (:mod:`analysis.cooccurrence`): the network and the association heat map."""

from __future__ import annotations

import math

import matplotlib.lines
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .charts import edges_to_matrix, heatmap
from .style import (
    new_axes,
    no_data,
    require_plot_columns,
    use_chinese_font,
    with_chinese_font,
)


def _node_frequencies(graph, frequencies) -> dict:
    if frequencies is None:
        # Without term counts, a node's size follows the co-occurrences on its drawn edges.
        return {node: float(sum(data.get("count", 1) for *_, data in graph.edges(node, data=True)))
                for node in graph.nodes}
    if isinstance(frequencies, pd.DataFrame):
        require_plot_columns(frequencies, ["term", "count"], function="network")
        frequencies = frequencies.drop_duplicates("term").set_index("term")["count"]
    lookup = dict(frequencies.items()) if hasattr(frequencies, "items") else dict(frequencies)
    return {node: float(lookup.get(node, 0) or 0) for node in graph.nodes}


def _separate_labels(ax: Axes, positions: dict, labels: dict, *, rounds: int = 4, steps: int = 300) -> dict:
    """Move nodes apart until no two labels overlap; labels sit on their nodes.

    A spring layout places nodes without knowing how wide their labels are, so
    long CJK labels of nearby nodes collide. Each round fixes the axes limits,
    measures the labels in data units and pushes every overlapping pair apart
    along the axis where they overlap least (deterministic: no randomness, a
    fixed node order).
    """
    nodes = list(positions)
    points = np.array([positions[node] for node in nodes], dtype=float)
    renderer = ax.figure.canvas.get_renderer()
    gap = 1.08  # boxes kept a little apart so the white halos do not touch
    half = np.zeros((len(nodes), 2))
    for _ in range(rounds):
        low, high = points.min(axis=0), points.max(axis=0)
        # Room for the outermost labels, whose centres sit on the outermost nodes.
        margin = np.maximum(np.maximum((high - low) * 0.06, 0.05), 1.15 * half.max(axis=0))
        ax.set_xlim(low[0] - margin[0], high[0] + margin[0])
        ax.set_ylim(low[1] - margin[1], high[1] + margin[1])
        to_data = ax.transData.inverted()
        sizes = []
        for node in nodes:
            box = labels[node].get_window_extent(renderer)
            (x0, y0), (x1, y1) = to_data.transform([(box.x0, box.y0), (box.x1, box.y1)])
            sizes.append((abs(x1 - x0), abs(y1 - y0)))
        half = np.array(sizes) * gap / 2
        settled = True
        for _ in range(steps):
            dx = points[:, None, 0] - points[None, :, 0]
            dy = points[:, None, 1] - points[None, :, 1]
            overlap_x = half[:, None, 0] + half[None, :, 0] - np.abs(dx)
            overlap_y = half[:, None, 1] + half[None, :, 1] - np.abs(dy)
            clash = (overlap_x > 0) & (overlap_y > 0)
            np.fill_diagonal(clash, False)
            if not clash.any():
                break
            settled = False
            # Push along the cheaper axis; coincident points split by their order.
            along_x = overlap_x < overlap_y
            order = np.sign(np.arange(len(nodes))[:, None] - np.arange(len(nodes))[None, :])
            sign_x = np.where(dx != 0, np.sign(dx), order)
            sign_y = np.where(dy != 0, np.sign(dy), order)
            push_x = np.where(clash & along_x, sign_x * overlap_x / 2, 0.0).sum(axis=1)
            push_y = np.where(clash & ~along_x, sign_y * overlap_y / 2, 0.0).sum(axis=1)
            points += np.column_stack([push_x, push_y]) * 0.6
        else:
            settled = False
        if settled:
            break
    for node, point in zip(nodes, points):
        labels[node].set_position(point)
    return dict(zip(nodes, map(tuple, points)))


def network(
    graph,
    *,
    frequencies=None,
    random_state: int = 0,
    max_nodes: int = 60,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Draw a co-occurrence network: node size by frequency, edge width by weight, colour by community.

    Parameters
    ----------
    graph : networkx.Graph
        A graph from :func:`analysis.cooccurrence.cooccurrence_network` (edge
        ``weight``, node ``community``).
    frequencies : pandas.DataFrame or Series or dict, optional
        Term counts for the node sizes: a :func:`analysis.textstat.term_frequency`
        table (``term``, ``count``) or a term -> count mapping. By default the
        co-occurrence counts of each node's edges.
    random_state : int
        Seed of the spring layout, so the drawing is the same on every run.
    max_nodes : int
        Keep only the nodes with the largest frequencies (ties by term), so
        labels stay legible.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 11 x 9 inch figure otherwise.
    title : str, optional
        Chart title; the legend names the edge measure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import networkx as nx
    >>> graph = nx.Graph()
    >>> graph.add_edge("六稳", "六保", weight=0.8, count=3)
    >>> ax = network(graph)
    >>> sorted(text.get_text() for text in ax.texts)
    ['六保', '六稳']
    """
    import networkx as nx

    use_chinese_font()
    if not isinstance(graph, nx.Graph):
        raise TypeError(f"network: expected a networkx Graph, got {type(graph).__name__}")
    if max_nodes < 1:
        raise ValueError(f"network: max_nodes must be at least 1, got {max_nodes}")
    if ax is None:
        ax = new_axes(11.0, 9.0)
    ax.set_axis_off()
    if graph.number_of_nodes() == 0:
        return with_chinese_font(no_data(ax, title=title))
    frequency = _node_frequencies(graph, frequencies)
    kept = sorted(graph.nodes, key=lambda node: (-frequency[node], str(node)))[:max_nodes]
    # Sorted node and edge order makes the seeded layout independent of insertion order.
    drawn = nx.Graph()
    drawn.add_nodes_from(sorted(kept, key=str))
    drawn.add_edges_from(
        sorted(((a, b, d) for a, b, d in graph.subgraph(kept).edges(data=True)), key=lambda e: (str(e[0]), str(e[1])))
    )
    weights = np.array([float(d.get("weight", 1.0)) for *_, d in drawn.edges(data=True)])
    if len(weights) and weights.max() > weights.min():
        scaled = (weights - weights.min()) / (weights.max() - weights.min())
    else:
        scaled = np.full(len(weights), 0.5)
    spread = 2.2 / math.sqrt(max(drawn.number_of_nodes(), 1))
    positions = nx.spring_layout(drawn, seed=random_state, k=spread, weight="weight", iterations=200)
    labels = {
        node: ax.text(0, 0, str(node), ha="center", va="center", fontsize=10, zorder=3,
                      bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "alpha": 0.7, "linewidth": 0})
        for node in drawn.nodes
    }
    positions = _separate_labels(ax, positions, labels)
    sizes = np.array([frequency[node] for node in drawn.nodes])
    if sizes.max() > 0:
        node_sizes = 120 + 1400 * np.sqrt(sizes / sizes.max())
    else:
        node_sizes = np.full(len(sizes), 300.0)
    communities = [drawn.nodes[node].get("community", graph.nodes[node].get("community", -1)) for node in drawn.nodes]
    palette = plt.get_cmap("tab10")
    colours = [palette(c % 10) if c is not None and c >= 0 else "#bbbbbb" for c in communities]
    nx.draw_networkx_edges(drawn, positions, ax=ax, width=0.5 + 4.0 * scaled, edge_color="#888888", alpha=0.55)
    nx.draw_networkx_nodes(drawn, positions, ax=ax, node_size=node_sizes, node_color=colours, alpha=0.8,
                           linewidths=0.5, edgecolors="white")
    measure = graph.graph.get("measure", "weight")
    ax.legend(
        handles=[
            matplotlib.lines.Line2D([], [], color="#888888", linewidth=4.5, label=f"edge width: {measure}"),
            matplotlib.lines.Line2D([], [], marker="o", linestyle="", markersize=12, color="#999999",
                                    label="node size: frequency"),
            matplotlib.lines.Line2D([], [], marker="o", linestyle="", markersize=8, color=palette(0),
                                    label="colour: community"),
        ],
        loc="lower left", fontsize=8, frameon=False,
    )
    hidden = graph.number_of_nodes() - drawn.number_of_nodes()
    if title or hidden:
        ax.set_title((title or "") + (f" ({hidden} less frequent terms not drawn)" if hidden else ""))
    return with_chinese_font(ax)


def _cluster_order(matrix: pd.DataFrame) -> list:
    """Terms in the leaf order of an average-linkage clustering, so blocks of related terms sit together."""
    if len(matrix) < 3:
        return list(matrix.index)
    from scipy.cluster.hierarchy import leaves_list, linkage
    from scipy.spatial.distance import squareform

    similarity = matrix.to_numpy(dtype=float)
    # Never seen together counts as less related than any measured pair.
    floor = np.nanmin(similarity) - 1.0 if np.isfinite(similarity).any() else 0.0
    similarity = np.nan_to_num(similarity, nan=floor)
    distance = similarity.max() - similarity
    np.fill_diagonal(distance, 0.0)
    distance = (distance + distance.T) / 2
    order = leaves_list(linkage(squareform(distance, checks=False), method="average", optimal_ordering=True))
    return [matrix.index[i] for i in order]


def association_heatmap(
    edges: pd.DataFrame,
    *,
    measure: str = "npmi",
    n: int = 30,
    min_count: int = 1,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Term x term heat map of an association measure, for the terms with the strongest associations.

    Terms are chosen by their strongest pair (highest ``measure`` among
    their edges with at least ``min_count`` shared contexts), not by raw
    frequency, and ordered by clustering, so blocks of terms that keep
    company show as dark squares along the diagonal. Pairs never seen
    together are grey; the colour scale is centred on 0 (independence) for
    ``npmi`` and ``pmi``.

    Parameters
    ----------
    edges : pandas.DataFrame
        :func:`analysis.cooccurrence.cooccurrence` (``term_a``, ``term_b``,
        ``count`` and the measure).
    measure : str, default "npmi"
    n : int, default 30
        Terms shown.
    min_count : int, default 1
        Ignore pairs seen together fewer times when choosing the terms.
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> edges = pd.DataFrame({"term_a": ["六稳", "六稳", "六保"], "term_b": ["六保", "就业", "就业"],
    ...                       "count": [5, 1, 2], "npmi": [0.9, 0.1, 0.4]})
    >>> ax = association_heatmap(edges, n=2)
    >>> sorted(label.get_text() for label in ax.get_xticklabels())
    ['六保', '六稳']
    """
    require_plot_columns(edges, ["term_a", "term_b", "count", measure], function="association_heatmap")
    if not isinstance(n, int) or isinstance(n, bool) or n < 2:
        raise ValueError(f"association_heatmap: n must be a whole number >= 2, got {n!r}")
    usable = edges[(edges["count"] >= min_count) & edges[measure].notna()]
    both = pd.concat([usable[["term_a", measure, "count"]].set_axis(["term", "value", "count"], axis=1),
                      usable[["term_b", measure, "count"]].set_axis(["term", "value", "count"], axis=1)])
    strongest = both.sort_values(["value", "count", "term"], ascending=[False, False, True], kind="stable")
    terms = list(dict.fromkeys(strongest["term"]))[:n]
    matrix = edges_to_matrix(usable, value=measure, n=None, fill_value=np.nan)
    matrix = matrix.reindex(index=terms, columns=terms)
    if not matrix.empty:
        order = _cluster_order(matrix)
        matrix = matrix.loc[order, order]
    diverging = measure in ("npmi", "pmi")
    limit = float(np.nanmax(np.abs(matrix.to_numpy(dtype=float)))) if matrix.notna().any().any() else 1.0
    return heatmap(
        matrix,
        ax=ax,
        title=title if title is not None else f"Strongest associations ({measure}), clustered",
        cmap="RdBu_r" if diverging else "Blues",
        vmin=-limit if diverging else None,
        vmax=limit if diverging else None,
        annotate=False,
        xlabel="",
        ylabel="",
    )
