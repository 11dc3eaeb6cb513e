"""The settings file: a :class:`~anakinra_rescue.engine.config.StudyConfig` a user writes in TOML, read and written here.

The keys are the ``StudyConfig`` field names; ``[matching]`` and ``[display]`` are nested tables with the field
names of ``MatchingRules`` and ``DisplayRules``. A key left out keeps the article's reading (:data:`DEFAULT`)::

    outcome_days = [7, 14]
    test_overrides = []            # or [["received_azithromycin", "chi2"]]

    [matching]
    max_age_difference_years = 10

Follow-up ends at the last outcome day: a file that sets ``outcome_days`` but not ``mortality_days`` or
``discharge_days`` keeps the article's days up to its last outcome day (``outcome_days = [7, 14]`` gives
mortality on days 14 and discharge on day 14; day 21 is gone everywhere); set them to choose otherwise.

An unknown key, a value of the wrong type or a value outside the allowed ones raises :class:`SettingsError`,
whose message names the file, the key and what is allowed. TOML is read with the standard library's
``tomllib``; :func:`settings_toml` writes the same form back (the Methods chapter prints it, and a build records
it). Pinned by ``tests/test_settings.py``.
"""

import dataclasses
import math
import tomllib
from pathlib import Path
from typing import Any

from anakinra_rescue.engine import tables
from anakinra_rescue.engine.config import DEFAULT, TEST_NAMES, DisplayRules, MatchingRules, StudyConfig

NESTED = {"matching": MatchingRules, "display": DisplayRules}
# Set with outcome_days and not given: the article's days up to the last outcome day (or that day alone).
FOLLOWING_OUTCOME_DAYS = ("mortality_days", "discharge_days")


class SettingsError(ValueError):
    """A settings file that cannot be read as a ``StudyConfig``; the message says where and why."""


def _fields(kind) -> list[str]:
    return [field.name for field in dataclasses.fields(kind)]


def _fail(source: str, key: str, message: str) -> SettingsError:
    return SettingsError(f"{source}: {key}: {message}")


def _coerce(source: str, key: str, value: Any, default: Any) -> Any:
    """``value`` in the type of ``default`` (TOML arrays become tuples), or a :class:`SettingsError`."""
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise _fail(source, key, f"{value!r} is not true or false")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(source, key, f"{value!r} is not a whole number")
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _fail(source, key, f"{value!r} is not a number")
        return float(value)
    if isinstance(default, str):
        if not isinstance(value, str):
            raise _fail(source, key, f"{value!r} is not text")
        return value
    if isinstance(default, tuple):
        if not isinstance(value, list):
            raise _fail(source, key, f"{value!r} is not a list (write it as [ ... ])")
        return tuple(tuple(item) if isinstance(item, list) else item for item in value)
    raise _fail(source, key, "cannot be set from a settings file")  # pragma: no cover - every field is covered above


def _known_variables(config: StudyConfig) -> list[str]:
    specs = [*tables.TABLE1_ROWS, *tables.table2_rows(config), *tables.table3_rows(config), *tables.TEXT_ONLY_ROWS]
    return sorted({spec.variable for spec in specs if spec.with_p})


def _test_overrides(source: str, value: Any) -> tuple[tuple[str, str], ...]:
    if isinstance(value, dict):
        value = [[variable, test] for variable, test in value.items()]
    if not isinstance(value, list) or any(not isinstance(item, list) or len(item) != 2 for item in value):
        raise _fail(
            source,
            "test_overrides",
            f'{value!r} is not a list of [variable, test] pairs, e.g. [["received_azithromycin", "chi2"]], or [] for none',
        )
    for variable, test in value:
        if test not in TEST_NAMES:
            raise _fail(
                source, f"test_overrides[{variable!r}]", f"{test!r} is not a test; choose one of: {', '.join(TEST_NAMES)}"
            )
    return tuple((str(variable), str(test)) for variable, test in value)


def config_from_mapping(values: dict[str, Any], source: str = "settings") -> StudyConfig:
    """A ``StudyConfig`` from the parsed TOML mapping; ``source`` names the file in messages."""
    allowed = _fields(StudyConfig)
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if key not in allowed:
            raise _fail(source, key, f"unknown setting; the settings are: {', '.join(allowed)}")
        if key in NESTED:
            kind = NESTED[key]
            if not isinstance(value, dict):
                raise _fail(source, key, f"is a table: write it as [{key}] followed by its keys ({', '.join(_fields(kind))})")
            nested_default = getattr(DEFAULT, key)
            nested = {}
            for name, item in value.items():
                if name not in _fields(kind):
                    raise _fail(source, f"{key}.{name}", f"unknown setting; the [{key}] settings are: {', '.join(_fields(kind))}")
                nested[name] = _coerce(source, f"{key}.{name}", item, getattr(nested_default, name))
            try:
                changes[key] = dataclasses.replace(nested_default, **nested)
            except ValueError as error:
                raise _fail(source, key, str(error)) from None
        elif key == "test_overrides":
            changes[key] = _test_overrides(source, value)
        else:
            changes[key] = _coerce(source, key, value, getattr(DEFAULT, key))
    if "outcome_days" in changes:  # follow-up ends at the last outcome day, unless the file says otherwise
        last = max(changes["outcome_days"], default=0)
        for name in FOLLOWING_OUTCOME_DAYS:
            if name not in values:
                changes[name] = tuple(day for day in getattr(DEFAULT, name) if day <= last) or (last,)
    try:
        config = dataclasses.replace(DEFAULT, **changes)
    except (ValueError, TypeError) as error:
        raise SettingsError(f"{source}: {error}") from None
    known = _known_variables(config)
    for variable, _ in config.test_overrides:
        if variable not in known:
            raise _fail(source, "test_overrides", f"{variable!r} is not a row with a P-value; the rows are: {', '.join(known)}")
    return config


def load_settings(path: Path | str) -> StudyConfig:
    """Read a TOML settings file into a ``StudyConfig`` (every key checked; see the module's docstring)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SettingsError(f"{path}: no such settings file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: cannot be read as UTF-8 text ({error})") from None
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path}: not valid TOML: {error}") from None
    return config_from_mapping(values, str(path))


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")  # pragma: no cover


LINE_WIDTH = 88  # a longer array is written one item a line


def _toml_line(key: str, value: Any) -> str:
    line = f"{key} = {_toml_value(value)}"
    if len(line) <= LINE_WIDTH or not isinstance(value, tuple):
        return line
    return f"{key} = [\n" + "".join(f"    {_toml_value(item)},\n" for item in value) + "]"


def settings_toml(config: StudyConfig = DEFAULT) -> str:
    """Every setting of ``config`` as a settings file that :func:`load_settings` reads back to the same config."""
    lines = [_toml_line(name, getattr(config, name)) for name in _fields(StudyConfig) if name not in NESTED]
    for name in NESTED:
        nested = getattr(config, name)
        lines += ["", f"[{name}]", *(_toml_line(key, getattr(nested, key)) for key in _fields(type(nested)))]
    return "\n".join(lines) + "\n"


def differences(config: StudyConfig, reference: StudyConfig = DEFAULT) -> list[tuple[str, str, str]]:
    """(key, value in ``config``, value in ``reference``) for every setting that differs, nested keys dotted."""
    found = []
    for name in _fields(StudyConfig):
        mine, theirs = getattr(config, name), getattr(reference, name)
        if name in NESTED:
            found += [
                (f"{name}.{key}", _toml_value(getattr(mine, key)), _toml_value(getattr(theirs, key)))
                for key in _fields(type(mine))
                if getattr(mine, key) != getattr(theirs, key)
            ]
        elif mine != theirs:
            found.append((name, _toml_value(mine), _toml_value(theirs)))
    return found
