"""An Altair renderer for the offline book: a div with a counter-based id and a ``vegaEmbed`` call, made once the
page is parsed (the vendored bundle loads deferred, so it never holds up the page's first paint).

The default Altair renderer loads Vega from a CDN. This one relies on the
bundle that :mod:`anakinra_rescue.book.offline_assets` writes into the book, and
numbers its elements ``vega-chart-1``, ``vega-chart-2``... so that the same
notebook always produces the same HTML (nbval compares it byte for byte).
"""

import itertools
import json

import altair as alt

RENDERER_NAME = "anakinra_offline"
_chart_counter = itertools.count(1)


def render_offline(spec: dict, actions: bool | dict = False, file_name: str = "", menu_label: str = "", **metadata) -> dict:
    """Render a Vega-Lite spec as HTML that draws with the vendored ``window.vegaEmbed``; ``actions`` is
    vega-embed's menu (none by default). With a menu, ``file_name`` names the saved files (``figure1.svg``, not
    ``visualization.svg``), PNGs are saved at twice the drawn size, and ``menu_label`` is the menu's accessible name."""
    element_id = f"vega-chart-{next(_chart_counter)}"
    spec_json = json.dumps(spec, sort_keys=True)
    options: dict = {"actions": actions, "renderer": "svg"}
    if actions:
        options |= {"downloadFileName": file_name or "figure", "scaleFactor": 2}
    label = json.dumps(menu_label or "Save the figure")
    html = (
        f'<div id="{element_id}" class="vega-chart"></div>\n'
        "<script>\n"
        'document.addEventListener("DOMContentLoaded", function () {\n'
        f'vegaEmbed("#{element_id}", {spec_json}, {json.dumps(options, sort_keys=True)})'
        f'.then(function () {{ var menu = document.querySelector("#{element_id} details > summary");'
        f' if (menu) {{ menu.setAttribute("aria-label", {label}); }} }})'
        ".catch(function (error) { console.error(error); });\n"
        "});\n"
        "</script>"
    )
    return {"text/html": html}


def enable() -> None:
    """Register and switch to the offline renderer (idempotent)."""
    if RENDERER_NAME not in alt.renderers.names():
        alt.renderers.register(RENDERER_NAME, render_offline)
    alt.renderers.enable(RENDERER_NAME)
