"""Tests of anakinra_rescue.book.offline_assets and anakinra_rescue.book.altair_offline."""

import re

import altair as alt
import pandas as pd

from anakinra_rescue.book import altair_offline, offline_assets


def test_vega_bundle_is_wrapped_and_exposes_vega_embed():
    bundle = offline_assets.vega_bundle_source()
    assert bundle.startswith("(function () {\n")
    assert bundle.rstrip().endswith("})();")
    assert "window.vegaEmbed=" in bundle
    assert not re.search(r"https?://(cdn|unpkg|cdn\.jsdelivr)", bundle[:2000])


def test_write_offline_assets_writes_both_libraries(tmp_path):
    written = offline_assets.write_offline_assets(tmp_path)
    names = sorted(path.relative_to(tmp_path).as_posix() for path in written)
    assert names == [offline_assets.MATHJAX_NAME, offline_assets.VEGA_BUNDLE_NAME]
    assert all(path.stat().st_size > 500_000 for path in written)
    assert "combineWithMathJax" in (tmp_path / offline_assets.MATHJAX_NAME).read_text(encoding="utf-8")


def _environment(monkeypatch, data=None, patient_level=None, min_cell=None, config=None):
    from anakinra_rescue.data import files

    for name, value in (
        (files.DATA_DIR_ENV, data),
        (files.PATIENT_LEVEL_ENV, patient_level),
        (files.MIN_CELL_ENV, min_cell),
        (files.CONFIG_ENV, config),
    ):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, str(value))


def test_banner_says_synthetic_by_default_and_names_user_data_by_its_folder_name(monkeypatch, tmp_path):
    _environment(monkeypatch)
    assert "Synthetic data" in offline_assets.banner_text() and "Settings differ" not in offline_assets.banner_text()
    export = tmp_path / "site A" / "export 2020"
    export.mkdir(parents=True)
    _environment(monkeypatch, data=export)
    aggregate = offline_assets.banner_text()
    assert "<code>export 2020</code>" in aggregate and str(tmp_path) not in aggregate and "Synthetic" not in aggregate
    assert "An aggregate report" in aggregate and "no MIN_CELL" in aggregate
    _environment(monkeypatch, data=export, min_cell=5)
    assert "Counts from 1 to 4 are shown as &lt;5 (MIN_CELL=5)" in offline_assets.banner_text()
    _environment(monkeypatch, data=export, patient_level=1, min_cell=5)
    assert "Patient-level rows are shown" in offline_assets.banner_text() and "MIN_CELL" not in offline_assets.banner_text()
    settings_file = tmp_path / "two_weeks.toml"
    settings_file.write_text("outcome_days = [7, 14]\n", encoding="utf-8")
    _environment(monkeypatch, config=settings_file)
    assert (
        "Synthetic data" in offline_assets.banner_text()
        and "differ from the article's reading in 3 keys" in offline_assets.banner_text()
    )


def test_renderer_uses_counter_ids_and_the_vendored_embed():
    altair_offline.enable()
    chart = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_bar().encode(x="x:O", y="y:Q")
    first = altair_offline.render_offline(chart.to_dict())["text/html"]
    second = altair_offline.render_offline(chart.to_dict())["text/html"]
    first_id = int(re.search(r'id="vega-chart-(\d+)"', first).group(1))
    second_id = int(re.search(r'id="vega-chart-(\d+)"', second).group(1))
    assert second_id == first_id + 1
    # The $schema URL only names the Vega-Lite version; vegaEmbed never fetches it.
    assert "vegaEmbed(" in first
    assert "http" not in re.sub(r'"\$schema": "[^"]+"', "", first)
    assert alt.renderers.active == altair_offline.RENDERER_NAME


def test_print_notice_names_the_data_on_every_page_and_escapes_the_folder(tmp_path, monkeypatch):
    from anakinra_rescue.book import offline_assets

    _environment(monkeypatch)
    synthetic = offline_assets.print_notice_css(tmp_path)
    assert '@top-center { content: "Synthetic data: every patient-level number' in synthetic
    assert "@bottom-left" in synthetic and "Commit " in synthetic
    (tmp_path / 'site "A"').mkdir()
    _environment(monkeypatch, data=tmp_path / 'site "A"', min_cell=5)
    own = offline_assets.print_notice_css(tmp_path)
    assert 'content: "Built from the data in the folder site \\"A\\", not from' in own and "<code>" not in own
    assert "shown as <5 (MIN_CELL=5)" in own and str(tmp_path) not in own


def test_fontawesome_script_is_removed_from_built_pages_and_nothing_else(tmp_path):
    page = tmp_path / "book" / "a.html"
    page.parent.mkdir()
    head = (
        '<script defer src="../_static/scripts/bootstrap.js?digest=1"></script>\n'
        '  <script defer src="../_static/scripts/fontawesome.js?digest=55c26ed414f5f8a31ebb"></script>\n<p>x</p>'
    )
    page.write_text(head, encoding="utf-8")
    (tmp_path / "b.html").write_text("<p>no script</p>", encoding="utf-8")
    assert offline_assets.drop_fontawesome_script(tmp_path) == 1
    assert page.read_text(encoding="utf-8") == '<script defer src="../_static/scripts/bootstrap.js?digest=1"></script>\n<p>x</p>'
