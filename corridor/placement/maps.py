"""Map layer of a placement: the network, the paths to the chosen nodes, the nodes highlighted."""

from __future__ import annotations

import folium

from corridor import maps as cmaps
from corridor.placement.result import PlacementResult

__all__ = ["placement_map"]

#: Colours of the path layers (primary paths, backups of dual homing) and the chosen nodes.
PATH_COLOR = "#d946ef"
BACKUP_COLOR = "#0ea5e9"
#: Chosen nodes are violet stars of the map's placement layer, never the red of the existing
#: data centers (an existing data center that is not chosen must not look chosen).
NODE_COLOR = "#7c3aed"


def placement_map(
    result: PlacementResult,
    *,
    p: int | None = None,
    offline: bool = True,
    title: str | None = None,
) -> folium.Map:
    """The network (:func:`corridor.maps.network_map`) with one placement drawn on it.

    Layers: the links of every demand site's path to its node
    (:func:`corridor.maps.add_links_layer`), with dual homing the links of the backups, and
    the chosen nodes as large violet, labelled markers (:func:`corridor.maps.add_sites_layer`)
    with their name, the demand they serve and the mean RTT.

    Parameters
    ----------
    result
        From :func:`corridor.placement.place`.
    p
        Which placement (default: the largest).
    offline
        Self-contained map (see :func:`corridor.maps.network_map`).
    title
        Heading (default names the objective and the nodes).

    Raises
    ------
    RequestError
        For a ``p`` that the result does not have.
    """
    from corridor._errors import RequestError

    by_p = {pl.p: pl for pl in result.placements}
    pl = by_p.get(p if p is not None else result.best.p)
    if pl is None:
        msg = f"the result has placements for p = {sorted(by_p)}, not {p}"
        raise RequestError(msg)
    net = result.problem.net
    names = dict(zip(net.sites["id"], net.sites["name"], strict=True))
    heading = title or (
        f"placement ({pl.objective}, p = {pl.p}): " + ", ".join(names[n] for n in pl.nodes)
    )
    m = cmaps.network_map(net, offline=offline, title=heading, status=result.problem.status)
    primary = [link for a in pl.assignments if a.path is not None for link in a.path.links]
    if primary:
        cmaps.add_links_layer(
            m, net, primary, name="Paths to the chosen nodes", color=PATH_COLOR, weight=5.0
        )
    backup = [link for a in pl.assignments if a.backup is not None for link in a.backup.links]
    if backup:
        cmaps.add_links_layer(
            m,
            net,
            backup,
            name="Backup paths (dual homing)",
            color=BACKUP_COLOR,
            dash="8 6",
            weight=4.0,
        )
    html: dict[str, str] = {}
    for node in pl.nodes:
        served = [a for a in pl.assignments if a.node == node]
        mean = sum(a.rtt_ms * a.weight for a in served) / max(sum(a.weight for a in served), 1e-12)
        html[node] = (
            f"<b>{cmaps.escape(names[node])}</b> (chosen by this placement)<br>serves "
            f"{len(served)} demand site(s), mean RTT {mean:.1f} ms"
        )
    cmaps.add_sites_layer(
        m,
        net,
        pl.nodes,
        name=f"Chosen nodes ({len(pl.nodes)})",
        color=NODE_COLOR,
        stroke="#ffffff",
        radius=12.0,
        weight=3.0,
        fill_opacity=0.9,
        class_name="corridor-chosen-node",
        html=html,
        legend="Placement",
        legend_label=f"chosen nodes ({len(pl.nodes)}), labelled",
        label=True,
    )
    return m
