"""What a book build is built from: the data folder, the patient-level switch, the small-cell threshold, the settings,
the analysis, and the fingerprint of all of them.

``make book`` sets four environment variables, and a plain ``jupyter-book build .`` reads the same ones (unset:
the committed synthetic cohort, the article's reading):

* ``ANAKINRA_DATA_DIR`` (``DATA=``): the folder holding patients.csv and daily_status.csv;
* ``ANAKINRA_PATIENT_LEVEL`` (``PATIENT_LEVEL=1``): show per-patient rows of other data, inside the institution;
* ``ANAKINRA_MIN_CELL`` (``MIN_CELL=k``): in an aggregate report, print counts from 1 to k - 1 as "<k";
* ``ANAKINRA_CONFIG`` (``CONFIG=file``): a TOML settings file (:mod:`anakinra_rescue.engine.settings`).

:func:`fingerprint` hashes them with the data files and the package's source. This module is also a Sphinx
extension (listed in ``_config.yml``): the fingerprint is a configuration value that Sphinx compares between builds,
so a build whose data, switches, settings or code differ from the previous build's in the same ``_build`` re-reads,
and so re-executes, every page, instead of serving the earlier build's pages ("0 changed").
Pinned by ``tests/test_context.py``.
"""

import functools
import hashlib
import os
from pathlib import Path

from anakinra_rescue.data.files import (
    CONFIG_ENV,
    DATA_DIR_ENV,
    MIN_CELL_ENV,
    PATIENT_LEVEL_ENV,
    RECONSTRUCTED_DIR,
    SINCE_ENV,
)
from anakinra_rescue.engine import build_record, pipeline, settings
from anakinra_rescue.engine.config import DEFAULT, StudyConfig

DEFAULT_DATA_DIR = RECONSTRUCTED_DIR
DATA_FILES = build_record.DATA_FILES
FINGERPRINT_SETTING = "anakinra_build_fingerprint"


def data_directory() -> Path:
    """The folder the book is built from."""
    return Path(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)


def is_default_data() -> bool:
    """True when the book runs on the committed synthetic reconstruction."""
    return data_directory().resolve() == DEFAULT_DATA_DIR.resolve()


def data_label() -> str:
    """The data folder as pages name it: its own name, never its absolute path (which says where a hospital keeps
    its exports, on every page and every printed sheet)."""
    return data_directory().resolve().name


def patient_level_shown() -> bool:
    """True for the synthetic cohort, and for other data only when the builder opted in with PATIENT_LEVEL=1."""
    return is_default_data() or os.environ.get(PATIENT_LEVEL_ENV, "") == "1"


def min_cell() -> int:
    """The small-cell threshold of an aggregate report: counts from 1 to ``min_cell() - 1`` print as "<k"; 0 (off)
    unless ``MIN_CELL`` is set, and always 0 where per-patient rows are shown anyway."""
    text = os.environ.get(MIN_CELL_ENV, "").strip()
    if not text or patient_level_shown():
        return 0
    if not text.isdigit():
        raise ValueError(f"{MIN_CELL_ENV}={text!r}: MIN_CELL must be a whole number (e.g. MIN_CELL=5), or unset")
    return int(text)


def withheld_notice(what: str) -> str:
    """The sentence a page shows in place of per-patient rows in an aggregate build."""
    return (
        f"*{what} are not shown: this book is built from other data than the synthetic cohort, and such a book is "
        "an aggregate report that may be shared. `make book DATA=... PATIENT_LEVEL=1` shows them, for use inside "
        "the institution only.*"
    )


def book_config() -> StudyConfig:
    """The settings the book is built under: the TOML file ``ANAKINRA_CONFIG`` names (``make book CONFIG=file``),
    else the article's reading."""
    path = os.environ.get(CONFIG_ENV)
    return settings.load_settings(path) if path else DEFAULT


def code_digest() -> str:
    """SHA-256 of the package's source: :func:`anakinra_rescue.engine.build_record.code_digest`."""
    return build_record.code_digest()


def since() -> str:
    """What the "What changed" page compares this build with (``make book SINCE=``): a release's version, or a
    folder holding an earlier ``tables`` output or build; empty: the latest release, for the committed cohort."""
    return os.environ.get(SINCE_ENV, "").strip()


def fingerprint(directory: Path | None = None, config_text: str | None = None) -> str:
    """SHA-256 of everything a page's numbers and privacy depend on: the settings (their TOML text), the data files,
    the patient-level switch, the small-cell threshold, what the "What changed" page compares with (:func:`since`)
    and the code (:func:`code_digest`)."""
    folder = Path(directory) if directory is not None else data_directory()
    text = settings.settings_toml(book_config()) if config_text is None else config_text
    digest = hashlib.sha256()
    for part in (text, str(is_default_data()), str(patient_level_shown()), str(min_cell()), since(), code_digest()):
        digest.update(part.encode() + b"\0")
    build_record.hash_files(digest, [folder / name for name in DATA_FILES if (folder / name).is_file()])
    return digest.hexdigest()


@functools.lru_cache(maxsize=2)
def book_analysis(directory: str | None = None) -> pipeline.Analysis:
    """The pipeline's analysis of the book's data folder under :func:`book_config`, once per kernel (once per build
    with :mod:`analysis_cache`), with ``compared`` explained by fidelity and small counts withheld (:func:`min_cell`)."""
    import dataclasses

    from anakinra_rescue.book import analysis_cache, disclosure
    from anakinra_rescue.examination import fidelity, verdicts

    folder = Path(directory or data_directory())
    config = book_config()

    def compute() -> pipeline.Analysis:
        analysis = pipeline.run(folder, config)
        decisions = verdicts.stored_decisions(folder, analysis.record, analysis.compared)  # certificates.json, if current
        compared = fidelity.explain(analysis.compared, analysis.record, config, decisions)
        explained = dataclasses.replace(analysis, compared=compared)
        return disclosure.suppress_analysis(explained, min_cell())

    return analysis_cache.cached_analysis(compute, fingerprint(folder, settings.settings_toml(config)))


def _on_config_inited(app, config) -> None:
    setattr(config, FINGERPRINT_SETTING, fingerprint())
    if since():  # a SINCE= that names nothing stops the build before any page runs
        from sphinx.errors import ExtensionError

        from anakinra_rescue.examination import changes

        try:
            changes.read_outputs(since())
        except changes.ChangesError as error:
            raise ExtensionError(f"SINCE={since()}: {error}") from None
    if not is_default_data():  # stop before any page runs when the folder gives the book nothing to regenerate
        from sphinx.errors import ExtensionError

        cohort, matched = pipeline.match(data_directory(), book_config(), with_log=False)  # no measurement read
        if matched.pairs.empty:
            cases = int((cohort.patients["cohort"] == "anakinra").sum())
            raise ExtensionError(
                f"the data in the folder {data_label()!r} form no pair ({cases} anakinra cases, none matched to a "
                "historical control under the matching rule): there is nothing to regenerate. `python -m "
                "anakinra_rescue match DIR --out OUT` writes unmatched.csv and the matching log, which say why."
            )


def this_build_record() -> dict:
    """This build's record (:mod:`anakinra_rescue.engine.build_record`), made once per process for a data folder and
    settings, so that the copies a build writes (the site's root, its downloads) are one record with one date."""
    return _record_of(str(data_directory()), settings.settings_toml(book_config()))


@functools.lru_cache(maxsize=4)
def _record_of(folder: str, settings_text: str) -> dict:
    return build_record.build_record(Path(folder), book_config())


def _write_build_record(app, exception) -> None:
    """Every successful HTML build leaves its build record (:mod:`anakinra_rescue.engine.build_record`) at the root
    of the site (:mod:`anakinra_rescue.book.downloads` puts a copy beside the downloads, which ``diff`` then reads)."""
    if exception is None and app.builder.format == "html":
        build_record.write_record(this_build_record(), app.outdir)


def setup(app):
    """Sphinx entry point: a build whose fingerprint differs from the last one in the same _build re-reads every page;
    every build writes its build record."""
    app.add_config_value(FINGERPRINT_SETTING, "", "env")
    app.connect("config-inited", _on_config_inited)
    app.connect("build-finished", _write_build_record)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
