"""The analyses btm can run: each declared once, in its own folder, and discovered from there.

An analysis is one decision a user runs as a notebook and a board-pack section. It lives in
``btm/analyses/<name>/``: ``__init__.py`` holds its :class:`Spec` (title, board-pack order,
parameter constraints, key numbers, figures, sample data folder), ``charts.py`` its figures and
``messages.py`` its key numbers and key messages. Its notebook is ``btm/notebooks/<name>.ipynb``
and its sample data ``btm/data/<spec.data>/``. Nothing else lists analyses: the command line,
runs, sweeps, the board pack and the generic tests find them with :func:`specs`.

A notebook's parameters (name, type, default, help) are read from its cell tagged
``parameters`` (``horizon_years: int = 5  # years after year 0``), the one place Papermill and
JupyterLab users see them; the cell is parsed here with :mod:`ast` (no papermill import), so
``btm list`` is quick. What values each parameter may take is declared in the spec with the
constraint vocabulary of :mod:`btm.constraints`; what two parameters must be together (``scale_min
< scale_max``) with its rules (``rules=(Increasing("scale_min", "scale_max"),)``), checked
after each parameter's own constraint and, like it, before any kernel starts.

The notebooks folder is, in order of precedence: the `notebooks` argument, the ``BTM_NOTEBOOKS``
environment variable, the ``notebooks/`` of the ``btm init`` working folder the current folder
is in (:func:`find_workspace`), the notebooks shipped inside the package. A notebook in another folder
that no spec declares (an analyst's own) can still be run; its title and board-pack placement
then come from its metadata key ``btm``.

Examples
--------
>>> from btm.analyses import parse_parameters, specs
>>> [p.name for p in parse_parameters("horizon_years: int = 5  # years after year 0")]
['horizon_years']
>>> parse_parameters("discount_rate: float = 0.08  # per year, a fraction")[0].help
'per year, a fraction'
>>> "tco_comparison" in [s.name for s in specs()]
True
"""

from __future__ import annotations

import ast
import importlib
import io
import json
import os
import pkgutil
import tokenize
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from btm.constraints import Constraint, Rule, Text
from btm.errors import InputError

__all__ = [
    "Analysis",
    "FigureSpec",
    "KeyNumber",
    "Parameter",
    "Spec",
    "specs",
    "get_spec",
    "notebooks_dir",
    "find_workspace",
    "WORKSPACE_MARKER",
    "list_analyses",
    "get_analysis",
    "parameters",
    "parse_parameters",
    "table_file",
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
class FigureSpec:
    """A figure an analysis shows (in the notebook, ``report.html`` and the board pack).

    Attributes
    ----------
    name : str
        File stem under ``figures/`` (``cumulative_cost`` → ``cumulative_cost.png`` / ``.svg``).
    title : str
        Heading of the figure's board-pack page.
    """

    name: str
    title: str


@dataclass(frozen=True)
class KeyNumber:
    """A key number an analysis writes to ``results.json``.

    Attributes
    ----------
    name : str
        Key in ``results.json``'s ``key_numbers``.
    label : str
        Words for readers.
    unit : str
        ``"currency"`` (the analysis's currency parameter), ``"%"`` (a fraction shown as a
        percentage) or a unit word (``"years"``, ``"SKUs"``).
    """

    name: str
    label: str
    unit: str = ""


@dataclass(frozen=True)
class Spec:
    """The one declaration of an analysis.

    Attributes
    ----------
    name : str
        The analysis's name: its folder ``btm/analyses/<name>/`` and notebook ``<name>.ipynb``.
    title : str
        Title for readers (``btm list``, board-pack page headings).
    question : str
        The decision in one sentence.
    parameters : mapping of str to Constraint
        What values each notebook parameter may take, checked before any kernel starts.
        Every parameter of the notebook except ``output_dir`` has one.
    rules : tuple of Rule
        What parameters must be together (:class:`btm.constraints.Increasing`: ``scale_min <
        scale_max``), checked on the effective values (given or default) after `parameters`,
        before any kernel starts. Each rule names declared parameters only.
    key_numbers : tuple of KeyNumber
        What the notebook writes to ``results.json`` (each one, at least).
    figures : tuple of FigureSpec
        The figures the notebook shows and saves, in board-pack order.
    data : str
        Sample data folder under ``btm/data/``.
    boardpack : bool
        Whether the default board pack includes it; `order` is its position there.
    needs : tuple of str
        Optional libraries the analysis cannot run without (``"statsforecast"``); tests leave
        the analysis out where one is missing.
    """

    name: str
    title: str
    question: str
    parameters: Mapping[str, Constraint] = field(default_factory=dict)
    rules: tuple[Rule, ...] = ()
    key_numbers: tuple[KeyNumber, ...] = ()
    figures: tuple[FigureSpec, ...] = ()
    data: str = ""
    boardpack: bool = True
    order: int = 100
    needs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))
        object.__setattr__(self, "rules", tuple(self.rules))
        for rule in self.rules:
            unknown = [n for n in rule.names if n not in self.parameters]
            if unknown:  # a programming error in btm itself, not bad input
                raise TypeError(f"btm.analyses.{self.name}: rule {rule.describe()} names "
                                f"undeclared parameters {unknown}")

    @property
    def notebook(self) -> Path:
        """The notebook shipped with btm."""
        return _PACKAGE_NOTEBOOKS / f"{self.name}.ipynb"

    @property
    def data_dir(self) -> Path | None:
        """The sample data folder shipped with btm (None when the analysis has none)."""
        return _PACKAGE_ROOT / "data" / self.data if self.data else None


def table_file(what: str) -> Text:
    """The constraint of a notebook parameter that names an input table: the path of `what`.

    Every spec declares its input files with it, so ``btm run`` describes them alike.

    Examples
    --------
    >>> table_file("a cost table").expected
    'the path of a cost table (CSV or XLSX)'
    """
    return Text(description=f"the path of {what} (CSV or XLSX)")


_PACKAGE_ROOT = Path(__file__).resolve().parents[1]
_PACKAGE_NOTEBOOKS = _PACKAGE_ROOT / "notebooks"


@cache
def _discover() -> tuple[Spec, ...]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        if not info.ispkg or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        spec = getattr(module, "SPEC", None)
        if not isinstance(spec, Spec) or spec.name != info.name:
            raise RuntimeError(  # a programming error in btm itself, not bad input
                f"btm.analyses.{info.name}: expected SPEC = Spec(name={info.name!r}, ...)"
            )
        found.append(spec)
    return tuple(sorted(found, key=lambda s: (s.order, s.name)))


def specs() -> list[Spec]:
    """Every analysis btm ships, in board-pack order (discovered from ``btm/analyses/*/``)."""
    return list(_discover())


def get_spec(name: str) -> Spec | None:
    """The spec of the analysis called `name`, or None when btm ships no such analysis."""
    return next((s for s in _discover() if s.name == name), None)


@dataclass(frozen=True)
class Analysis:
    """A notebook that can be run: name, path, title, board-pack placement and its spec."""

    name: str
    path: Path
    title: str
    boardpack: bool = False
    order: int = 1000
    metadata: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    spec: Spec | None = field(default=None, repr=False, compare=False)

    @property
    def constraints(self) -> Mapping[str, Constraint]:
        """Constraints of the parameters (from the spec; none for an undeclared notebook)."""
        return self.spec.parameters if self.spec is not None else MappingProxyType({})

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Rules relating the parameters (from the spec; none for an undeclared notebook)."""
        return self.spec.rules if self.spec is not None else ()


#: The file ``btm init`` writes at the top of a working folder (see :func:`find_workspace`).
WORKSPACE_MARKER = "btm-workspace.txt"


def find_workspace(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The ``btm init`` working folder that `start` (default: the current folder) is in.

    That is `start` or its nearest parent holding :data:`WORKSPACE_MARKER` and a
    ``notebooks`` folder, as git finds a repository; None outside any.

    Examples
    --------
    >>> import tempfile
    >>> find_workspace(tempfile.gettempdir()) is None
    True
    """
    try:
        here = (Path.cwd() if start is None else Path(start)).expanduser().resolve()
    except OSError:  # the current folder was deleted
        return None
    for folder in (here, *here.parents):
        if (folder / WORKSPACE_MARKER).is_file() and (folder / "notebooks").is_dir():
            return folder
    return None


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
    elif (workspace := find_workspace()) is not None:
        folder = workspace / "notebooks"
    else:
        folder = _PACKAGE_NOTEBOOKS
    return folder.expanduser().resolve()


def _read_notebook(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read the notebook ({exc}); expected a .ipynb file") from None


def _analysis(path: Path) -> Analysis:
    spec = get_spec(path.stem)
    if spec is not None:
        return Analysis(name=spec.name, path=path, title=spec.title, boardpack=spec.boardpack,
                        order=spec.order, spec=spec)
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


def exported(kind: str) -> dict[str, Any]:
    """Every public name of every analysis's `kind` module (``"charts"`` or ``"messages"``).

    This is how :mod:`btm.charts` and :mod:`btm.messages` offer each analysis's chart and
    message functions under one roof without a hand-kept list.

    Examples
    --------
    >>> "cumulative_cost" in exported("charts")
    True
    """
    out: dict[str, Any] = {}
    for spec in specs():
        try:
            module = importlib.import_module(f"{__name__}.{spec.name}.{kind}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{spec.name}.{kind}":
                continue
            raise
        for name in getattr(module, "__all__", ()):
            out.setdefault(name, getattr(module, name))
    return out
