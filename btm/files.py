"""Reading the analyst's input files: locate them, read them as tables, fingerprint them.

Relative paths are looked up in the current directory first and then in the folder btm ships
its notebooks and sample data in (:func:`package_root`), so ``data/tco/costs.csv`` names the
sample cost table from any folder, installed or not, while a file of the analyst's own with
that name in the current folder wins. Input files are only read, never written. Every problem (missing file,
unknown format, unreadable content) raises :class:`btm.InputError` naming the parameter and
the path tried.

Examples
--------
>>> from btm.files import package_root, resolve_path
>>> (package_root() / "notebooks").is_dir()
True
>>> resolve_path("data/tco/costs.csv", parameter="costs_file").name
'costs.csv'
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from btm.errors import InputError

__all__ = [
    "package_root", "resolve_path", "read_table", "read_yaml", "sha256", "sha256_dir",
    "TABLE_FORMATS", "display_name",
]

#: File suffixes :func:`read_table` understands.
TABLE_FORMATS = (".csv", ".xlsx", ".parquet")


def package_root() -> Path:
    """The installed ``btm`` package folder, which holds ``notebooks/`` and ``data/``.

    It is where btm's own notebooks and sample data live, wherever btm is installed; nothing
    about the current folder or a source checkout is assumed.

    Examples
    --------
    >>> (package_root() / "data" / "tco" / "costs.csv").is_file()
    True
    """
    return Path(__file__).resolve().parent


def resolve_path(
    path: str | os.PathLike[str],
    *,
    parameter: str,
    search: Sequence[str | os.PathLike[str]] | None = None,
    kind: str = "file",
) -> Path:
    """Return the absolute path of an existing input file (or folder).

    Parameters
    ----------
    path : str or path-like
        Absolute, or relative to one of the `search` folders.
    parameter : str
        The parameter (or column, or option) the path came from; named in error messages.
    search : sequence of path-like, optional
        Folders a relative path is looked up in, in order. Default: the current directory,
        then :func:`package_root`.
    kind : {"file", "dir", "any"}
        What the path must point to.

    Returns
    -------
    pathlib.Path
        Absolute, resolved path.

    Raises
    ------
    InputError
        Empty path, or nothing of the right kind at any of the places tried.

    Examples
    --------
    >>> resolve_path("no/such/file.csv", parameter="input_file")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    btm.errors.InputError: input_file: file 'no/such/file.csv' not found (tried ...); expected an existing file
    """
    if path is None or str(path).strip() == "":
        raise InputError(f"{parameter}: got an empty path; expected the path of an existing {kind}")
    p = Path(os.path.expanduser(str(path)))
    if p.is_absolute():
        candidates = [p]
    else:
        folders = [Path.cwd(), package_root()] if search is None else [Path(s) for s in search]
        candidates = []
        for folder in folders:
            c = (folder / p).resolve()
            if c not in candidates:
                candidates.append(c)
    for c in candidates:
        if (kind == "file" and c.is_file()) or (kind == "dir" and c.is_dir()) or (
            kind == "any" and c.exists()
        ):
            return c.resolve()
    what = {"file": "file", "dir": "folder", "any": "path"}.get(kind, "path")
    for c in candidates:
        if c.exists():  # there, but the wrong kind: say so rather than "not found"
            there = "a folder" if c.is_dir() else "a file" if c.is_file() else "not a file"
            raise InputError(f"{parameter}: '{path}' is {there} ({c}); expected a {what}")
    tried = ", ".join(str(c) for c in candidates)
    raise InputError(
        f"{parameter}: {what} '{path}' not found (tried {tried}); expected an existing {what}"
    )


_ZIP_MAGIC = b"PK\x03\x04"
_SEPARATORS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}


def _decode_csv(p: Path, parameter: str) -> str:
    """The text of a CSV file, checked: not empty, not a workbook or binary, UTF-8."""
    data = p.read_bytes()
    if data.startswith(_ZIP_MAGIC):
        raise InputError(
            f"{parameter}: '{p}' is an Excel workbook (or another zip file) with a .csv name; "
            "expected a CSV text file (save it as 'CSV UTF-8', or rename it to .xlsx)"
        )
    if b"\x00" in data[:8192]:
        raise InputError(
            f"{parameter}: '{p}' holds binary data, not text; expected a CSV text file"
        )
    try:
        text = data.decode("utf-8-sig")  # an Excel byte-order mark is accepted and dropped
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{parameter}: '{p}', line {line}: byte 0x{data[exc.start]:02x} is not UTF-8 "
            "text; expected a CSV saved as UTF-8 (in Excel: Save As, 'CSV UTF-8')"
        ) from None
    if text.strip() == "":
        raise InputError(
            f"{parameter}: '{p}' is empty; expected a header row and at least one data row"
        )
    return text


def _check_header(header: list[str], p: Path, parameter: str) -> None:
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise InputError(
                f"{parameter}: '{p}': column {name!r} appears twice in the header; expected "
                "unique column names"
            )
        seen.add(name)
    if len(header) == 1:
        for sep, words in _SEPARATORS.items():
            if sep in header[0]:
                raise InputError(
                    f"{parameter}: '{p}' has one column {header[0][:60]!r}, which seems "
                    f"separated by {words}; expected comma-separated values (save as "
                    "'CSV UTF-8 (comma delimited)')"
                )


#: Only a blank cell is missing. pandas would also read "NA", "N/A", "n/a", "null", "None",
#: "NaN" and a dozen more as missing: a region "NA" or a risk owner "None" would be lost, and
#: "n/a" in an amount would be reported as an empty cell instead of as the text it is.
ONLY_BLANK_IS_MISSING: dict[str, Any] = {"keep_default_na": False, "na_values": [""]}


def read_table(
    path: str | os.PathLike[str], *, parameter: str = "input", sheet: str | int = 0
) -> pd.DataFrame:
    """Read a CSV, Excel (``.xlsx``) or Parquet file into a DataFrame.

    Parameters
    ----------
    path : str or path-like
        Located with :func:`resolve_path`.
    parameter : str
        Named in error messages.
    sheet : str or int
        Excel sheet name or position.

    Returns
    -------
    pandas.DataFrame
        The table as stored; check it with :func:`btm.validate.frame` before use.

    Raises
    ------
    InputError
        Missing file (or a folder where a file is expected), unknown suffix, or a file the
        reader cannot parse; for a CSV also an empty file, a workbook or binary file with a
        .csv name, text that is not UTF-8 (the line is named), a column name twice in the
        header, and a single column whose name shows another separator (``a;b;c``). A UTF-8
        byte-order mark (Excel's "CSV UTF-8") is accepted. An Excel header with a name twice
        is refused too. Cells are read as they are: only a blank cell is missing ("NA", "n/a",
        "None" are text, so a region "NA" is kept and "n/a" in a number column is named as
        such), and a text starting with ``=`` is text, never a formula (outputs defuse it,
        :func:`btm.report.safe_csv`).

    Examples
    --------
    >>> read_table(package_root() / "__init__.py", parameter="costs_file")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    btm.errors.InputError: costs_file: cannot read '...__init__.py' (unknown format '.py'); expected one of .csv, .xlsx, .parquet
    """
    p = resolve_path(path, parameter=parameter)
    suffix = p.suffix.lower()
    expected = "expected one of " + ", ".join(TABLE_FORMATS)
    if suffix not in TABLE_FORMATS:
        raise InputError(
            f"{parameter}: cannot read '{p}' (unknown format '{suffix or 'none'}'); {expected}"
        )
    try:
        if suffix == ".csv":
            import csv
            import io

            text = _decode_csv(p, parameter)
            header = next(csv.reader(io.StringIO(text)), [])
            _check_header([h.strip() for h in header], p, parameter)
            return pd.read_csv(io.StringIO(text), **ONLY_BLANK_IS_MISSING)
        if suffix == ".xlsx":
            head = pd.read_excel(p, sheet_name=sheet, header=None, nrows=1)
            _check_header([str(h).strip() for h in head.iloc[0].dropna()] if len(head) else [],
                          p, parameter)
            return pd.read_excel(p, sheet_name=sheet, **ONLY_BLANK_IS_MISSING)
        return pd.read_parquet(p)
    except InputError:
        raise
    except ImportError as exc:
        raise InputError(
            f"{parameter}: cannot read '{p}' ({exc}); expected a CSV or .xlsx file"
        ) from None
    except Exception as exc:  # the readers raise many unrelated types for bad content
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(
            f"{parameter}: cannot read '{p}' ({reason}); expected a valid {suffix[1:]} file"
        ) from None


def read_yaml(path: str | os.PathLike[str], *, parameter: str, expected: str) -> tuple[Path, Any]:
    """Read a YAML (or JSON) file given as `parameter`; return its resolved path and content.

    Raises
    ------
    InputError
        Missing file, or text that is not valid YAML/JSON; the message names the file and says
        what was `expected`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = pathlib.Path(d) / "p.yaml"
    ...     _ = f.write_text("a: [1, 2]")
    ...     read_yaml(f, parameter="grid file", expected="a grid")[1]
    {'a': [1, 2]}
    """
    import yaml

    p = resolve_path(path, parameter=parameter)
    try:
        return p, yaml.safe_load(p.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"{p}: not valid YAML or JSON ({first}); expected {expected}") from None


def sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 hex digest of a file's bytes (read in chunks).

    Examples
    --------
    >>> len(sha256(package_root() / "__init__.py"))
    64
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_dir(path: str | os.PathLike[str]) -> str:
    """Fingerprint of a folder: SHA-256 of the sorted ``"<relative path> <file sha256>"`` lines.

    Hidden files and folders (names starting with ``.``) are skipped.

    Examples
    --------
    >>> len(sha256_dir(package_root() / "data"))
    64
    """
    root = Path(path)
    lines = []
    for f in sorted(root.rglob("*")):
        rel = f.relative_to(root)
        if f.is_file() and not any(part.startswith(".") for part in rel.parts):
            lines.append(f"{rel.as_posix()} {sha256(f)}\n")
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def display_name(path: str | os.PathLike[str]) -> str:
    """The file name of `path`, for footnotes and captions (``"costs.csv"``).

    Examples
    --------
    >>> display_name("../data/tco/costs.csv")
    'costs.csv'
    """
    return Path(os.fspath(path)).name
