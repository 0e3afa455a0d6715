"""Check that summarizer's modules import only from their own layer or lower ones, without cycles.

The layers follow the data flow: base (errors, config, schema, jsonl) → text → engines → api →
batch → eval → service → cli; the package's ``__init__`` re-exports from all of them. An import
from a higher layer (at module level or inside a function) is printed and makes the script exit 1.
``testing`` (fake model servers, real local services, scenarios) may use every layer; none uses it.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "summarizer"
LAYERS = {
    "errors": 0, "_version": 0, "jsonl": 0, "config": 0, "schema": 0,
    "text": 1,
    "engines": 2,
    "testing": 8,
    "api": 3, "render": 3, "__init__": 8, "__main__": 8,
    "batch": 4,
    "eval": 5,
    "service": 6,
    "cli": 7,
}  # fmt: skip


def layer_of(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "summarizer":
        return None
    if len(parts) == 1:
        return None  # the package itself (its folder, its version): not a layer
    return LAYERS.get(parts[1])


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    return ".".join(relative.parts)


def module_level_cycles() -> list[list[str]]:
    """Cycles among module-level imports (function-level imports are deliberate deferrals)."""
    graph: dict[str, set[str]] = {}
    names = {module_name(path).removesuffix(".__init__") for path in PACKAGE.rglob("*.py")}
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path).removesuffix(".__init__")
        edges = graph.setdefault(name, set())
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                submodules = [f"{node.module}.{a.name}" for a in node.names]
                submodules = [m for m in submodules if m in names]
                # ``from package import submodule`` depends on the submodule, not on the package.
                candidates = submodules or [node.module]
            elif isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            else:
                continue
            edges.update(c for c in candidates if c in names and c != name)
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return cycles


def main() -> int:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        own = layer_of(name)
        if own is None:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module]
                if node.module == "summarizer":
                    targets = [f"summarizer.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            for target in targets:
                theirs = layer_of(target)
                if theirs is not None and theirs > own:
                    problems.append(
                        f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {name} → {target}"
                    )
    for problem in problems:
        print(problem)
    print(f"{len(problems)} upward import(s)")
    cycles = module_level_cycles()
    for cycle in cycles:
        print("cycle: " + " → ".join(cycle))
    print(f"{len(cycles)} import cycle(s)")
    return 1 if problems or cycles else 0


if __name__ == "__main__":
    sys.exit(main())
