"""The analyses btm can run: the notebooks in ``notebooks/`` and their parameters.

An analysis is a notebook ``notebooks/<name>.ipynb``. Its metadata key ``btm`` may give a
``title``, whether it belongs in the board pack (``boardpack``, default False) and its
position there (``order``). Its parameters are read from the cell tagged ``parameters``
(``horizon_years: int = 5  # years after year 0``): name, declared type, default and help.
The cell is parsed here with :mod:`ast` (no papermill import), so ``btm list`` is quick.

The notebooks folder is, in order of precedence: the `notebooks_dir` argument, the
``BTM_NOTEBOOKS`` environment variable, ``<project root>/notebooks``.

Examples
--------
>>> from btm.analyses import parse_parameters
>>> [p.name for p in parse_parameters("horizon_years: int = 5  # years after year 0")]
['horizon_years']
>>> parse_parameters("discount_rate: float = 0.08  # per year, a fraction")[0].help
'per year, a fraction'
"""

from __future__ import annotations

import ast
import io
import json
import os
import tokenize
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from btm.errors import InputError

__all__ = [
    "Analysis",
    "Parameter",
    "notebooks_dir",
    "list_analyses",
    "get_analysis",
    "parameters",
    "parse_parameters",
]

_ENV = "BTM_NOTEBOOKS"


@dataclass(frozen=True)
class Parameter:
    """One notebook parameter.

    Attributes
    ----------
    name : str
    type : str
        The annotation as written (``"int"``, ``"float"``, ``"list[str]"``), or the type of the
        default when there is no annotation, or ``""`` when unknown.
    default : object
        The default value (a Python literal), or None when it is not a literal.
    help : str
        The comment at the end of the line.
    default_source : str
        The default as written in the cell.
    """

    name: str
    type: str
    default: Any
    help: str = ""
    default_source: str = ""


@dataclass(frozen=True)
class Analysis:
    """A notebook that can be run: name, path, title and board-pack placement."""

    name: str
    path: Path
    title: str
    boardpack: bool = False
    order: int = 1000
    metadata: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


def notebooks_dir(notebooks: str | os.PathLike[str] | None = None) -> Path:
    """The folder analyses are discovered in (see module docstring for precedence).

    Examples
    --------
    >>> notebooks_dir("/tmp").as_posix()
    '/tmp'
    """
    if notebooks is not None and str(notebooks) != "":
        folder = Path(notebooks)
    elif os.environ.get(_ENV):
        folder = Path(os.environ[_ENV])
    else:
        import btm

        folder = Path(btm.__file__).resolve().parents[1] / "notebooks"
    return folder.expanduser().resolve()


def _read_notebook(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read the notebook ({exc}); expected a .ipynb file") from None


def _analysis(path: Path) -> Analysis:
    nb = _read_notebook(path)
    meta = dict(nb.get("metadata", {}).get("btm", {}) or {})
    title = str(meta.get("title") or path.stem.replace("_", " ").capitalize())
    try:
        order = int(meta.get("order", 1000))
    except (TypeError, ValueError):
        order = 1000
    return Analysis(
        name=path.stem,
        path=path,
        title=title,
        boardpack=bool(meta.get("boardpack", False)),
        order=order,
        metadata=meta,
    )


def list_analyses(notebooks: str | os.PathLike[str] | None = None) -> list[Analysis]:
    """All analyses, ordered by their ``order`` metadata and then by name.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     list_analyses(d)
    []
    """
    folder = notebooks_dir(notebooks)
    if not folder.is_dir():
        return []
    found = [
        _analysis(p)
        for p in sorted(folder.glob("*.ipynb"))
        if not p.name.startswith((".", "_")) and not p.stem.endswith("-checkpoint")
    ]
    return sorted(found, key=lambda a: (a.order, a.name))


def get_analysis(name: str, notebooks: str | os.PathLike[str] | None = None) -> Analysis:
    """The analysis called `name` (the notebook's file name without ``.ipynb``).

    Raises
    ------
    InputError
        No such analysis; the message lists the available ones.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     get_analysis("tco", d)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    btm.errors.InputError: analysis: got 'tco', which is not a notebook in ...; expected one of (none)
    """
    if isinstance(name, Analysis):
        return name
    found = list_analyses(notebooks)
    name = str(name).removesuffix(".ipynb")
    for a in found:
        if a.name == name:
            return a
    available = ", ".join(a.name for a in found) or "(none)"
    raise InputError(
        f"analysis: got {name!r}, which is not a notebook in {notebooks_dir(notebooks)}; "
        f"expected one of {available}"
    )


def parameters(
    analysis: str | Analysis, notebooks: str | os.PathLike[str] | None = None
) -> list[Parameter]:
    """The parameters declared in the analysis's cell tagged ``parameters``, in order.

    Raises
    ------
    InputError
        Unknown analysis, or a notebook without a cell tagged ``parameters``.
    """
    a = get_analysis(analysis, notebooks) if not isinstance(analysis, Analysis) else analysis
    nb = _read_notebook(a.path)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get(
            "tags", []
        ):
            source = cell.get("source", "")
            if isinstance(source, list):
                source = "".join(source)
            return parse_parameters(source, where=str(a.path))
    raise InputError(
        f"{a.path}: no cell tagged 'parameters'; expected the first code cell to carry the tag"
    )


def _comments(source: str) -> dict[int, str]:
    out: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                out[tok.start[0]] = tok.string.lstrip("#").strip()
    except (tokenize.TokenError, IndentationError):
        pass
    return out


def parse_parameters(source: str, *, where: str = "parameters cell") -> list[Parameter]:
    """Parse a parameters cell: one ``name[: type] = default  # help`` per top-level assignment.

    Lines that are not simple assignments (imports, expressions) are ignored. The help is the
    comment on the assignment's last line (or on the line just above it when that line holds
    only a comment).

    Raises
    ------
    InputError
        The cell is not valid Python.

    Examples
    --------
    >>> ps = parse_parameters('label: str = "x"  # shown in titles\\nseeds = [1, 2]')
    >>> [(p.name, p.type, p.default, p.help) for p in ps]
    [('label', 'str', 'x', 'shown in titles'), ('seeds', 'list', [1, 2], '')]
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise InputError(
            f"{where}: the parameters cell is not valid Python ({exc.msg}, line {exc.lineno}); "
            "expected lines such as 'horizon_years: int = 5  # years'"
        ) from None
    comments = _comments(source)
    lines = source.splitlines()
    params: list[Parameter] = []
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            if node.value is None:
                continue
            names = [node.target.id]
            annotation = ast.unparse(node.annotation)
            if isinstance(node.annotation, ast.Constant) and isinstance(node.annotation.value, str):
                annotation = node.annotation.value
            value_node = node.value
        elif isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets):
            names = [t.id for t in node.targets]  # type: ignore[attr-defined]
            annotation = ""
            value_node = node.value
        else:
            continue
        default_source = ast.get_source_segment(source, value_node) or ""
        try:
            default = ast.literal_eval(value_node)
            literal = True
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            default, literal = None, False
        help_text = comments.get(node.end_lineno or node.lineno, "")
        above = node.lineno - 1
        if not help_text and above >= 1 and lines[above - 1].strip().startswith("#"):
            help_text = comments.get(above, "")
        type_name = annotation
        if not type_name and literal and default is not None:
            type_name = type(default).__name__
        for n in names:
            params = [p for p in params if p.name != n]  # a later assignment wins
            params.append(Parameter(n, type_name, default, help_text, default_source))
    return params
