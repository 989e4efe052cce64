"""Collection rules for every test path (``btm/`` doctests and notebooks, ``tests/``).

statsforecast caps pandas < 3, so the pandas 3 environment (``make test-pandas3``) is built
without it. There, nothing that needs it is collected: the btm modules that import it (anywhere in
their code, or at module level through another btm module: found by reading their imports) and the notebooks of analyses
whose spec says ``needs=("statsforecast",)``. No list to keep by hand; a test module that needs
an optional library starts with ``pytest.importorskip(...)``.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
OPTIONAL = ("statsforecast",)
MISSING = {name for name in OPTIONAL if importlib.util.find_spec(name) is None}


def _imports(path: Path, *, anywhere: bool = False) -> set[str]:
    """Modules a file imports at module level (or `anywhere`, functions included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree) if anywhere else tree.body:
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
    return out


def _needing(missing: set[str]) -> list[str]:
    modules = {".".join(p.relative_to(ROOT).with_suffix("").parts): p
               for p in (ROOT / "btm").rglob("*.py")}
    imports = {m: _imports(p) for m, p in modules.items()}
    needs = {m for m, p in modules.items()  # its code (and so its doctests) calls the library
             if any(i.split(".")[0] in missing for i in _imports(p, anywhere=True))}
    changed = True
    while changed:  # modules importing a module that needs it, transitively
        changed = False
        for m, imp in imports.items():
            if m not in needs and imp & needs:
                needs.add(m)
                changed = True
    ignored = [str(modules[m].relative_to(ROOT)) for m in sorted(needs)]
    if missing:
        from btm.analyses import specs

        ignored += [str(s.notebook.relative_to(ROOT)) for s in specs()
                    if set(s.needs) & missing]
    return ignored


collect_ignore = _needing(MISSING) if MISSING else []


def pytest_report_header(config: pytest.Config) -> str | None:
    if not MISSING:
        return None
    return f"{', '.join(sorted(MISSING))} not installed: not collected " + ", ".join(collect_ignore)
