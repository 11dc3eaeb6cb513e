"""The files a reader can download from the page that shows them, written into the build, and who may get the cohort.

A book built from the committed synthetic cohort offers everything, the cohort included. A book built from other
data (``make book DATA=...``) is an aggregate report that may be shared: it offers no patient-level file and shows
no per-patient row unless the builder sets ``PATIENT_LEVEL=1``
(:func:`anakinra_rescue.book.context.patient_level_shown`), which the banner then
states. The files are written at the end of the build (a Sphinx extension, listed in ``_config.yml``) from the
same analysis the pages show, and each page lists only the files that build writes (:func:`links`).

The notebooks offered by each page's download button are replaced by the build's executed ones, so a book built
from a hospital's data never hands out the synthetic cohort's outputs.
"""

import functools
import html
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from IPython.display import HTML

from anakinra_rescue.book import context
from anakinra_rescue.data.files import (
    AUDIT_FILE,
    CERTIFICATES_FILE,
    COMPARISON_FILE,
    DAILY_STATUS_FILE,
    FIGURE1_FILE,
    INFECTIONS_FILE,
    PATIENTS_FILE,
    REGENERATED_FILE,
    table_file,
)
from anakinra_rescue.engine.ard import ARD_FILE

FOLDER = "downloads"  # inside the HTML build; pages sit one level down (book/), so they link to ../downloads/
COHORT_FILES = (PATIENTS_FILE, DAILY_STATUS_FILE, INFECTIONS_FILE)
LABELS = {
    table_file("table1"): "Table 1",
    table_file("table2"): "Table 2",
    table_file("table3"): "Table 3",
    FIGURE1_FILE: "Figure 1 counts",
    REGENERATED_FILE: "every regenerated number",
    COMPARISON_FILE: f"printed vs regenerated ({COMPARISON_FILE})",
    ARD_FILE: "every regenerated number as Analysis Results Data, for R's cards",
    AUDIT_FILE: "the audit table",
    CERTIFICATES_FILE: "the verdicts' certificates",
    PATIENTS_FILE: "the cohort: patients",
    DAILY_STATUS_FILE: "the cohort: daily status",
    INFECTIONS_FILE: "the cohort: infections",
}


def files(analysis) -> dict[str, Callable[[], pd.DataFrame] | Path]:
    """Every file this build offers, by name: a table to build and write (built only when called, so that a page
    listing its links builds none), or a cohort file to copy."""
    from anakinra_rescue.book import views
    from anakinra_rescue.engine import pipeline
    from anakinra_rescue.examination import audit

    # the analysis holds the withheld counts as blanks; the tables and the figure show them as "<k"
    offered: dict[str, Callable[[], pd.DataFrame] | Path] = dict(pipeline.table_outputs(analysis, context.min_cell()))
    offered[FIGURE1_FILE] = functools.partial(views.figure1, analysis)
    offered[AUDIT_FILE] = functools.partial(audit.audit_rows, analysis.record, analysis.compared)
    certified = context.data_directory() / CERTIFICATES_FILE  # aggregate: verdicts, witnesses of counts, no patient
    if certified.is_file():
        offered[CERTIFICATES_FILE] = certified
    if context.patient_level_shown():
        folder = context.data_directory()
        offered.update({name: folder / name for name in COHORT_FILES if (folder / name).is_file()})
    return offered


def links(analysis, names: list[str]) -> HTML:
    """A line of download links for the files named, those this build offers, in the order given."""
    offered = files(analysis)
    anchors = [
        f'<a href="../{FOLDER}/{name}" download>{html.escape(LABELS.get(name, name))}</a> <small>({name})</small>'
        for name in names
        if name in offered
    ]
    if not anchors:
        return HTML('<p class="downloads"><em>Nothing on this page is offered for download in this build.</em></p>')
    return HTML('<p class="downloads">Download: ' + " · ".join(anchors) + "</p>")


def write(outdir: Path, analysis) -> list[Path]:
    """Write every offered file, and the build record, into ``outdir/downloads`` (the folder is emptied first)."""
    from anakinra_rescue.engine import build_record, pipeline

    folder = Path(outdir) / FOLDER
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    written = []
    for name, content in files(analysis).items():
        if isinstance(content, Path):
            written.append(Path(shutil.copyfile(content, folder / name)))
        else:
            written.append(pipeline.write_csv(content(), folder / name))
    # the build record beside regenerated.csv and comparison.csv: the folder is one `diff` and SINCE= can read
    written.append(build_record.write_record(context.this_build_record(), folder))
    return written


def replace_source_notebooks(outdir: Path) -> list[Path]:
    """Put this build's executed notebooks where the download button points (``_sources``), over the committed ones."""
    executed_root = Path(outdir).parent / "jupyter_execute"
    replaced = []
    for offered in sorted((Path(outdir) / "_sources").rglob("*.ipynb")):
        executed = executed_root / offered.relative_to(Path(outdir) / "_sources")
        if executed.is_file():
            shutil.copyfile(executed, offered)
            replaced.append(offered)
        else:  # never hand out a notebook whose outputs may come from other data
            offered.unlink()
    return replaced


def _on_build_finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    written = write(Path(app.outdir), context.book_analysis())
    replaced = replace_source_notebooks(Path(app.outdir))
    print(f"downloads: {len(written)} files in {Path(app.outdir) / FOLDER}; {len(replaced)} notebooks offered as executed")


def setup(app):
    """Sphinx entry point."""
    app.connect("build-finished", _on_build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
