"""The architecture of ../shared/DESIGN.md, checked rather than hoped for.

- Layers: core ← decisions ← presentation ← orchestration. A module imports only from its own
  layer or a lower one (imports inside functions count too). Every module not named below is a
  decision module, so a new decision module is checked with no edit here.
- Decision modules never read files, print, or draw.
- No module imports another module's private names.
- No btm module is named like a standard-library module (``btm.io`` was).
- Every public module is reachable as ``btm.<module>``.
"""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

import pytest

import btm

PACKAGE = Path(btm.__file__).resolve().parent

CORE = {"errors", "constraints", "validate", "finance", "uncertainty", "files"}
PRESENTATION = {"style", "charts", "messages", "analyses"}
ORCHESTRATION = {"report", "runs", "kernels", "sweep", "boardpack", "cli", "workspace", "slides", "verify"}
RANK = {"core": 0, "decisions": 1, "presentation": 2, "orchestration": 3}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("")
        parts = [p for p in rel.parts if p != "__init__"]
        out[".".join(["btm", *parts])] = path
    return out


MODULES = _modules()


def layer(module: str) -> str:
    top = module.split(".")[1] if module.count(".") else ""
    if top in CORE or module == "btm.__init__" or module == "btm":
        return "core"
    if top in PRESENTATION:
        return "presentation"
    if top in ORCHESTRATION:
        return "orchestration"
    return "decisions"


def _btm_imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(imported btm module, names imported from it, line) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "btm" or a.name.startswith("btm."):
                    found.append((a.name, [], node.lineno))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and (
            node.module == "btm" or node.module.startswith("btm.")
        ):
            names = [a.name for a in node.names]
            if node.module == "btm":  # from btm import tco, charts
                for n in names:
                    found.append((f"btm.{n}", [], node.lineno))
            else:
                found.append((node.module, names, node.lineno))
    return found


@pytest.mark.parametrize("module", sorted(MODULES), ids=str)
def test_imports_respect_the_layers(module):
    own = RANK[layer(module)]
    for imported, _, line in _btm_imports(MODULES[module]):
        target = imported if imported in MODULES or imported == "btm" else imported.rsplit(".", 1)[0]
        if target in ("btm", "btm.errors"):
            continue  # the package root and its exceptions are for everyone
        assert RANK[layer(target)] <= own, (
            f"{module} ({layer(module)}) imports {imported} ({layer(target)}) at line {line}")


DECISIONS = sorted(m for m in MODULES if layer(m) == "decisions")


def test_there_are_decision_modules():
    assert {"btm.tco", "btm.forecast", "btm.inventory"} <= set(DECISIONS)


@pytest.mark.parametrize("module", DECISIONS, ids=str)
def test_decision_modules_never_read_files_print_or_draw(module):
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [
                node.module or ""]
            for n in names:
                assert n.split(".")[0] not in {"matplotlib", "IPython", "papermill"}, (
                    f"{module} imports {n} (line {node.lineno})")
        if isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            builtin = isinstance(f, ast.Name)  # open() reads a file; os.open(os.devnull) does not
            assert not (builtin and name in {"print", "open"}) and name not in {
                "read_csv", "read_excel", "read_parquet", "read_table", "savefig", "show"}, (
                f"{module} calls {name} (line {node.lineno})")


@pytest.mark.parametrize("module", sorted(MODULES), ids=str)
def test_no_module_uses_another_modules_private_names(module):
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    aliases = {}
    for imported, names, line in _btm_imports(MODULES[module]):
        for n in names:
            assert not n.startswith("_") or n == "__version__", (
                f"{module} imports private {imported}.{n} (line {line})")
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "btm":
            for a in node.names:
                aliases[a.asname or a.name] = f"btm.{a.name}"
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("btm.") and a.asname:
                    aliases[a.asname] = a.name
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in aliases and node.attr.startswith("_")
                and not node.attr.startswith("__")):
            raise AssertionError(f"{module} uses {aliases[node.value.id]}.{node.attr} "
                                 f"(line {node.lineno})")


def test_no_module_is_named_like_the_standard_library():
    clashes = {m.rsplit(".", 1)[-1] for m in MODULES} & set(sys.stdlib_module_names)
    assert not clashes


def test_every_public_module_is_an_attribute_of_btm():
    for module in MODULES:
        if module.count(".") != 1:
            continue
        name = module.split(".")[1]
        if name.startswith("_"):
            continue
        try:
            importlib.import_module(module)
        except ImportError:  # an optional library missing
            continue
        assert getattr(btm, name) is sys.modules[module]
        assert name in dir(btm)


def test_public_api_names_stay_importable():
    """The stable names of ../shared/API.md, where they are today."""
    from btm import finance, inventory, tco

    for mod, names in [(finance, ["npv", "irr", "xnpv", "xirr", "payback_period"]),
                       (tco, ["compare", "simulate"]),
                       (inventory, ["eoq", "safety_stock", "reorder_point"])]:
        for n in names:
            assert callable(getattr(mod, n)), f"{mod.__name__}.{n}"
    assert issubclass(btm.InputError, ValueError)
    pytest.importorskip("statsforecast")
    assert callable(btm.forecast.forecast)
