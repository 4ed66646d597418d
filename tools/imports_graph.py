"""Print the import graph between cchc's packages, and the imports that run against their order.

Every import counts, including those hidden inside functions. A package is `cchc.<name>` for
the core and `cchc.web.<app>` for the web layer. Usage: python tools/imports_graph.py [src]
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

# Lower layers first: a package may import from its own layer or lower ones only. The CLI is the
# outermost layer (it starts the web server and the workers).
WEB_ORDER = ["accounts", "documents", "mail", "work", "outgoing", "par", "survey"]


def package_of(module: str) -> str:
    parts = module.split(".")
    if parts[:2] == ["cchc", "web"] and len(parts) > 2:
        return "web." + parts[2]
    if parts[:2] == ["cchc", "web"]:
        return "web"
    return parts[1] if len(parts) > 1 else "cchc"


def module_name(path: Path, src: Path) -> str:
    rel = path.relative_to(src).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


SRC = Path("src")


def is_module(name: str) -> bool:
    stem = SRC.joinpath(*name.split("."))
    return stem.with_suffix(".py").is_file() or (stem / "__init__.py").is_file()


def imports(path: Path, module: str) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for each cchc import of one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, int, bool]] = []

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = nested or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend((a.name, child.lineno, nested) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = module.split(".")
                    anchor = anchor[: len(anchor) - child.level + (path.stem == "__init__")]
                    base = ".".join([*anchor, base] if base else anchor)
                # `from cchc import errors` imports the module cchc.errors, not the package
                subs = [f"{base}.{a.name}" for a in child.names if is_module(f"{base}.{a.name}")]
                found.extend((m, child.lineno, nested) for m in subs or [base])
            visit(child, inner)

    visit(tree, False)
    return [f for f in found if f[0] == "cchc" or f[0].startswith("cchc.")]


def web_rank(package: str) -> int | None:
    name = package.removeprefix("web.")
    return WEB_ORDER.index(name) if package.startswith("web.") and name in WEB_ORDER else None


@dataclass
class Graph:
    edges: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    against: list[str] = field(default_factory=list)  # imports against the apps' order
    hidden: list[str] = field(default_factory=list)  # cross-package imports inside functions
    view_imports: list[str] = field(default_factory=list)  # views used as services
    module_edges: set[tuple[str, str]] = field(default_factory=set)

    def mutual(self) -> list[tuple[str, str]]:
        """Pairs of modules that import each other."""
        both = {e for e in self.module_edges if e[::-1] in self.module_edges and e[0] != e[1]}
        return sorted({tuple(sorted(e)) for e in both})


def analyse(src: Path) -> Graph:
    global SRC
    SRC = src
    graph = Graph()
    for path in sorted(src.joinpath("cchc").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        module = module_name(path, src)
        here = package_of(module)
        for target, line, nested in imports(path, module):
            there = package_of(target)
            graph.module_edges.add((module, target))
            where = f"{path.relative_to(src)}:{line} -> {target}"
            if there != here:
                graph.edges[(here, there)] += 1
            low, high = web_rank(there), web_rank(here)
            core_to_web = not here.startswith(("cli", "web")) and there.startswith("web")
            if core_to_web or (low is not None and high is not None and low > high):
                graph.against.append(where)
            if nested and there != here:
                graph.hidden.append(where)
            if target.endswith(".views") and not module.endswith(".urls"):
                graph.view_imports.append(where)
    return graph


def main(src: Path) -> int:
    graph = analyse(src)
    print("package imports (count of import statements):")
    for (a, b), n in sorted(graph.edges.items()):
        print(f"  {a:16} -> {b:16} {n}")
    print(f"\nagainst the order core < web.{' < web.'.join(WEB_ORDER)}: {len(graph.against)}")
    for line in graph.against:
        print("  " + line)
    print(
        f"\nimports from another module's views (views used as services): {len(graph.view_imports)}"
    )
    for line in graph.view_imports:
        print("  " + line)
    pairs = graph.mutual()
    print(f"\nmodules importing each other: {len(pairs)}")
    for a, b in pairs:
        print(f"  {a} <-> {b}")
    print(f"\ncross-package imports hidden inside functions: {len(graph.hidden)}")
    for line in graph.hidden:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "src")))
