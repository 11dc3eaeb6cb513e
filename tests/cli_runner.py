"""The command line run in this process: what `python -m anakinra_rescue ARGS` prints and returns, without paying a
new interpreter's imports (about 1.5 core-seconds a call). The real process is tested where it matters: the entry
point, signals and exit codes (tests/test_cli.py) and the installed wheel (tests/test_core_install.py)."""

import contextlib
import io
from types import SimpleNamespace

from anakinra_rescue import cli


def run(*args) -> SimpleNamespace:
    """``returncode``, ``stdout`` and ``stderr`` of the command, as ``subprocess.run(..., text=True)`` gives them."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main([str(arg) for arg in args])
        except SystemExit as stop:  # argparse: --help, --version and usage errors
            code = stop.code if isinstance(stop.code, int) else 1
    return SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())
