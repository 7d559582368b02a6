"""The import graph: the contracts in pyproject.toml hold, and no module takes part in a cycle."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

REPO = Path(__file__).resolve().parents[2]


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iteratively)."""
    edges = {m: sorted(i for i in graph.find_modules_directly_imported_by(m) if i != "siaga")
             for m in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            targets = edges.get(node, [])
            if child < len(targets):
                work.append((node, child + 1))
                target = targets[child]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return groups


def test_no_module_is_part_of_an_import_cycle() -> None:
    # grimp counts imports inside functions too, so a cycle cannot hide in one.
    assert _cycles(grimp.build_graph("siaga", cache_dir=None)) == []


def test_a_cycle_would_be_found() -> None:
    graph = grimp.ImportGraph()
    for name in ("siaga", "siaga.a", "siaga.b", "siaga.c"):
        graph.add_module(name)
    graph.add_import(importer="siaga.a", imported="siaga.b")
    graph.add_import(importer="siaga.b", imported="siaga.a")
    graph.add_import(importer="siaga.c", imported="siaga.a")
    assert _cycles(graph) == [["siaga.a", "siaga.b"]]


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=REPO, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]
