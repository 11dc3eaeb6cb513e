"""Sphinx extension that makes the book work without a network.

It writes the JavaScript the book needs into a static folder of the build:

* the Vega, Vega-Lite and Vega-Embed bundle shipped by ``vl-convert-python``,
  wrapped in a function so that its top-level constants cannot clash with the
  page's own scripts (the bundle assigns ``window.vegaEmbed`` itself);
* MathJax 3 (``es5/tex-svg.js``, which needs no font files), copied from the
  ``django-static-mathjax`` wheel on PyPI, so no Node.js is needed to vendor it.

It also sets the synthetic-data banner shown on every page, links the footer's commit to the build record, and
removes the theme's 1.5 MB Font Awesome script from every built page (its stylesheet draws the icons from web fonts). The book is
enabled through ``sphinx.extra_extensions`` in ``_config.yml``.
"""

import html
import os
import re
import shutil
from importlib import resources
from pathlib import Path

VEGA_BUNDLE_NAME = "vendor/vega-bundle.js"
MATHJAX_NAME = "vendor/mathjax/tex-svg.js"
PRINT_NOTICE_NAME = "print_notice.css"
PROVENANCE_PAGE = "book/95_provenance"  # its section "This build" lists data files, seed and package versions
PROVENANCE_LINK = "@provenance-link@"  # replaced per page by the relative address of that section


def vega_bundle_source() -> str:
    """The offline Vega/Vega-Lite/Vega-Embed bundle, wrapped in an immediately invoked function."""
    import vl_convert

    bundle = vl_convert.javascript_bundle()  # type: ignore[call-arg]  # the stub says snippet is required; it is not
    return "(function () {\n" + bundle + "\n})();\n"


def mathjax_source_path() -> Path:
    """Location of MathJax 3's self-contained ``tex-svg.js`` inside the installed wheel."""
    path = Path(str(resources.files("mathjax"))) / "static" / "mathjax" / "es5" / "tex-svg.js"
    if not path.is_file():
        raise FileNotFoundError(f"MathJax not found at {path}; is django-static-mathjax installed?")
    return path


def write_offline_assets(static_dir: Path) -> list[Path]:
    """Write the vendored JavaScript into ``static_dir``; return the files written."""
    vega_path = static_dir / VEGA_BUNDLE_NAME
    mathjax_path = static_dir / MATHJAX_NAME
    vega_path.parent.mkdir(parents=True, exist_ok=True)
    mathjax_path.parent.mkdir(parents=True, exist_ok=True)
    vega_path.write_text(vega_bundle_source(), encoding="utf-8")
    shutil.copyfile(mathjax_source_path(), mathjax_path)
    return [vega_path, mathjax_path]


def banner_text() -> str:
    """The banner on every page: the data are synthetic unless the book was built from other data, named by the
    folder's own name (not its absolute path), with the patient-level switch, the small-cell rule and the settings."""
    from anakinra_rescue.book import context
    from anakinra_rescue.engine import settings

    changed = settings.differences(context.book_config())
    under = (
        f" Settings differ from the article's reading in {len(changed)} key{'s' if len(changed) != 1 else ''} (see Methods)."
        if changed
        else ""
    )
    if context.is_default_data():
        return (
            "Synthetic data: every patient-level number in this book comes from a reconstructed cohort, "
            "not from the study's patients, whose records were never published." + under
        )
    folder = html.escape(context.data_label())
    text = f"Built from the data in the folder <code>{folder}</code>, not from the reconstructed synthetic cohort."
    if context.patient_level_shown():
        return text + " Patient-level rows are shown (PATIENT_LEVEL=1): do not share this book outside the institution." + under
    threshold = context.min_cell()
    small = (
        f" Counts from 1 to {threshold - 1} are shown as &lt;{threshold} (MIN_CELL={threshold})."
        if threshold > 1
        else " Small counts are shown as they are (no MIN_CELL)."
    )
    return text + " An aggregate report: no patient-level row or file." + small + under


def _build_stamp(source_dir: Path) -> tuple[str, str]:
    """The commit the book is built from, and the build time (UTC; SOURCE_DATE_EPOCH if set)."""
    import datetime
    import subprocess

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"], cwd=source_dir, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (
        datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
        if epoch
        else datetime.datetime.now(datetime.timezone.utc)
    )
    return commit, f"{moment:%Y-%m-%d %H:%M} UTC"


def footer_html(source_dir: Path) -> str:
    """The footer: the commit the book was built from and the build date."""
    commit, moment = _build_stamp(source_dir)
    return (
        f'<p class="build-provenance">Built from commit <a href="{PROVENANCE_LINK}"><code>{commit}</code></a> on '
        f'{moment} (<a href="{PROVENANCE_LINK}">what went into this build</a>). '
        "Synthetic data unless the banner says otherwise.</p>"
    )


def _css_string(text: str) -> str:
    return '"' + html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\\", "\\\\").replace('"', '\\"') + '"'


def print_notice_css(source_dir: Path) -> str:
    """Page-margin boxes for print: the data notice on top of every printed page, commit and date at its foot."""
    commit, moment = _build_stamp(source_dir)
    return (
        "/* Written by anakinra_rescue.book.offline_assets for this build. */\n"
        "@media print {\n  @page {\n    margin: 2.2cm 1.6cm 2cm 1.6cm;\n"
        f"    @top-center {{ content: {_css_string(banner_text())}; font: bold 8pt sans-serif; }}\n"
        f"    @bottom-left {{ content: {_css_string(f'Commit {commit}, built {moment}')}; font: 7pt sans-serif; }}\n"
        '    @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 7pt sans-serif; }\n'
        "  }\n}\n"
    )


def _on_config_inited(app, config) -> None:
    static_dir = Path(app.outdir).parent / "offline_static"
    write_offline_assets(static_dir)
    config.html_static_path = [*config.html_static_path, str(static_dir)]
    config.mathjax_path = MATHJAX_NAME
    theme_options = dict(config.html_theme_options or {})
    theme_options["announcement"] = banner_text()
    theme_options["extra_footer"] = footer_html(Path(app.srcdir))
    config.html_theme_options = theme_options
    (static_dir / PRINT_NOTICE_NAME).write_text(print_notice_css(Path(app.srcdir)), encoding="utf-8")


def _is_thebe_script(script) -> bool:
    filename = getattr(script, "filename", None) or str(script)
    body = getattr(script, "attributes", {}).get("body", "")
    return "sphinx-thebe" in str(filename) or "THEBE_JS_URL" in body


def _is_named(script, name: str) -> bool:
    return name in str(getattr(script, "filename", None) or script)


def _drop_thebe_scripts(app, pagename, templatename, context, doctree) -> None:
    """Remove scripts a page does not use: sphinx-thebe's everywhere, Vega and MathJax where nothing needs them.

    Live code cells are off in this book. sphinx-thebe declares a ``const``
    naming a CDN address and registers it twice per page, which the browser
    reports as an uncaught error; nothing else on the page uses it. The Vega
    bundle (0.9 MB) is needed only by pages whose body calls ``vegaEmbed``, and
    MathJax (2.1 MB) only by pages with a ``math`` element.
    """
    if "script_files" in context:
        body = context.get("body", "")
        draws_charts, shows_maths = "vegaEmbed" in body, 'class="math' in body
        context["script_files"] = [
            script
            for script in context["script_files"]
            if not _is_thebe_script(script)
            and (draws_charts or not _is_named(script, VEGA_BUNDLE_NAME))
            and (shows_maths or not _is_named(script, MATHJAX_NAME))
        ]


def _link_footer(app, pagename, templatename, context, doctree) -> None:
    """Point the footer's commit at the provenance page, by the address relative to this page."""
    footer = context.get("theme_extra_footer")
    if footer and PROVENANCE_LINK in footer:
        page = context["pathto"](PROVENANCE_PAGE)
        # on the provenance page itself Sphinx answers "#": the link is then the section alone, not "##this-build"
        context["theme_extra_footer"] = footer.replace(PROVENANCE_LINK, ("" if page.startswith("#") else page) + "#this-build")


FONTAWESOME_SCRIPT = re.compile(r'[ \t]*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>\n?')


def drop_fontawesome_script(html_dir: Path) -> int:
    """Remove the theme's Font Awesome script (1.5 MB, loaded by every page) from the built pages; return how many
    pages held it. The theme's stylesheet draws the same icons from its bundled web fonts, so nothing is lost."""
    changed = 0
    for page in Path(html_dir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        lighter = FONTAWESOME_SCRIPT.sub("", text)
        if lighter != text:
            page.write_text(lighter, encoding="utf-8")
            changed += 1
    return changed


def _on_build_finished(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        drop_fontawesome_script(Path(app.outdir))


def setup(app):
    """Sphinx entry point."""
    app.connect("config-inited", _on_config_inited)
    app.connect("html-page-context", _drop_thebe_scripts, priority=900)
    app.connect("html-page-context", _link_footer)
    app.connect("build-finished", _on_build_finished)
    # deferred: the page draws before the 0.9 MB bundle runs; each chart's call waits for it (altair_offline)
    app.add_js_file(VEGA_BUNDLE_NAME, loading_method="defer")
    app.add_css_file(PRINT_NOTICE_NAME)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
