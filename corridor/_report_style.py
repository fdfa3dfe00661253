"""Style shared by the HTML reports (invest, batch): the executive summary block."""

__all__ = ["SUMMARY_CSS"]

#: CSS of the executive summary: the box, the answer, the headline cards, the embedded map.
SUMMARY_CSS = (
    ".summary{border:1px solid #cbd5e1;border-radius:8px;padding:12px 18px;"
    "background:#f8fafc}.answer{font-size:18px;font-weight:600}"
    ".headline{display:flex;gap:14px;flex-wrap:wrap;margin:10px 0}"
    ".headline div{background:#fff;border:1px solid #e2e8f0;border-radius:6px;"
    "padding:8px 12px;min-width:150px}.headline b{display:block;font-size:22px}"
    ".headline span{font-size:12px;color:#475569}img{max-width:100%;height:auto}"
    "iframe{width:100%;height:640px;border:1px solid #cbd5e1;border-radius:6px}"
    "@media print{iframe{height:420px}}"
)
