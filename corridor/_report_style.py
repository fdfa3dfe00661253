"""Style and building blocks shared by the HTML reports (invest, traffic invest, batch): the
page and executive-summary CSS, a chart as an embedded PNG, an escaped HTML table."""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from typing import Any

__all__ = ["PRINT_MAP_CSS", "REPORT_CSS", "SUMMARY_CSS", "embedded_map", "html_table", "png_base64"]

#: CSS of the executive summary: the box, the answer, the headline cards, the embedded map.
SUMMARY_CSS = (
    ".summary{border:1px solid #cbd5e1;border-radius:8px;padding:12px 18px;"
    "background:#f8fafc}.answer{font-size:18px;font-weight:600}"
    ".headline{display:flex;gap:14px;flex-wrap:wrap;margin:10px 0}"
    ".headline div{background:#fff;border:1px solid #e2e8f0;border-radius:6px;"
    "padding:8px 12px;min-width:150px}.headline b{display:block;font-size:22px}"
    ".headline span{font-size:12px;color:#475569}img{max-width:100%;height:auto}"
    "iframe{width:100%;height:640px;border:1px solid #cbd5e1;border-radius:6px}"
    "@media print{iframe{display:block;height:125mm;break-inside:avoid;page-break-inside:avoid}}"
)

#: Print rules inside an embedded map page: the small printed map keeps its routes and legend;
#: the layer switch, zoom buttons and title block (the report's caption says the same) go.
PRINT_MAP_CSS = (
    "<style>@media print{.leaflet-control-layers,.leaflet-control-zoom,.corridor-title"
    "{display:none}.corridor-legend{max-height:none;font-size:8px;padding:3px 5px}}</style>"
)


def embedded_map(m: Any) -> str:
    """A folium map as the self-contained page an ``<iframe srcdoc>`` embeds, print-ready."""
    return str(m.get_root().render()).replace("</head>", PRINT_MAP_CSS + "</head>", 1)


#: CSS of an investor report page (body, tables, notes) including :data:`SUMMARY_CSS`.
REPORT_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:1100px;"
    "margin:2em auto;color:#0f172a}table{border-collapse:collapse;font-size:12px}"
    "td,th{border:1px solid #cbd5e1;padding:3px 6px;text-align:right}"
    "th{background:#f1f5f9}td:nth-child(2){text-align:left}.note{color:#b45309}" + SUMMARY_CSS
)


def png_base64(fig: Any) -> str:
    """A matplotlib figure as a base64 PNG (for ``data:image/png;base64,...``); closes it."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def html_table(head: Sequence[str], body: Sequence[Sequence[Any]]) -> str:
    """An HTML table; every header and cell is escaped."""
    th = "".join(f"<th>{html.escape(str(h))}</th>" for h in head)
    trs = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in body
    )
    return f"<table><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>"
