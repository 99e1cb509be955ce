"""The repository stands alone, and the app map (docs/architecture.md) covers every module.

`lint-imports` (make lint) checks the contracts in pyproject.toml; these tests
keep the contracts and the repository honest around it.
"""

import ast
import importlib
import pkgutil
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ["convene", "tests", "docs", "bench", "scripts", ".ci", "README.md", "Makefile"]
SKIPPED_FOLDERS = {"__pycache__", "node_modules", "dist"}
# Written in pieces so that this file does not match itself.
OUTSIDE = ["../" + "shared", "/work/" + "shared", "shared/" + "reference"]
# What a feature app offers the others (docs/architecture.md, "Which app may import which").
PUBLIC = {"apps", "extensions", "migrations", "selectors", "services"}


def _files():
    for name in CHECKED:
        path = ROOT / name
        if path.is_file():
            yield path
            continue
        for file in path.rglob("*"):
            if file.is_file() and not SKIPPED_FOLDERS.intersection(file.parts):
                yield file


def _contract(contract_id: str) -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c.get("id") == contract_id)


def test_no_file_points_outside_the_repository():
    pointing_out = [
        str(file.relative_to(ROOT))
        for file in _files()
        if any(text in file.read_text(errors="ignore") for text in OUTSIDE)
    ]

    assert pointing_out == []


def test_every_internal_module_of_a_feature_app_is_closed_to_the_others():
    contract = _contract("through-selectors")
    apps = [m for m in contract["source_modules"] if m != "convene.api"]

    internal = {
        f"{app}.{module.name}"
        for app in apps
        for module in pkgutil.iter_modules(importlib.import_module(app).__path__)
        if module.name not in PUBLIC
    }

    assert sorted(internal) == sorted(contract["forbidden_modules"])


# --- One extension convention (core/hooks.py) ----------------------------------------


def _python_modules():
    for file in (ROOT / "convene").rglob("*.py"):
        if "migrations" not in file.parts:
            yield file, ast.parse(file.read_text())


def test_only_an_apps_hooks_module_registers_into_a_hook_point():
    # A hook point is an UPPER_CASE module constant (PAGES, EMAIL_KINDS ...);
    # admin.register and template libraries are lower case.
    registering = sorted(
        f"{file.relative_to(ROOT)}:{node.lineno}"
        for file, tree in _python_modules()
        if file.name != "hooks.py"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "register"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id.isupper()
    )

    assert registering == []


def test_app_configs_register_nothing_in_ready():
    """ready() only connects Django's signals (`from ... import signals`, and
    post_migrate, which Django says to connect there); core's discovers the
    hooks modules. Nothing else is wired up there."""
    allowed = {"from convene.core import hooks", "hooks.autodiscover()"}
    wiring = []
    for file in (ROOT / "convene").glob("*/apps.py"):
        for node in ast.walk(ast.parse(file.read_text())):
            if isinstance(node, ast.FunctionDef) and node.name == "ready":
                for statement in node.body:
                    if isinstance(statement, ast.Expr) and isinstance(
                        statement.value, ast.Constant
                    ):
                        continue  # a docstring
                    source = ast.unparse(statement)
                    if (
                        source in allowed
                        or source.endswith(" import signals")
                        or source.startswith("post_migrate.connect(")
                    ):
                        continue
                    wiring.append(f"{file.relative_to(ROOT)}: {source}")

    assert wiring == []


def test_no_module_imports_an_apps_hooks_module():
    importing = sorted(
        f"{file.relative_to(ROOT)}:{node.lineno}"
        for file, tree in _python_modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and (
            ((node.module or "").endswith(".hooks") and node.module != "convene.core.hooks")
            or (
                any(alias.name == "hooks" for alias in node.names) and node.module != "convene.core"
            )
        )
    )

    assert importing == []


def test_the_live_transport_may_import_nothing_of_convene_but_the_protocol():
    contract = _contract("live-transport")
    convene = importlib.import_module("convene")
    live = importlib.import_module("convene.live")

    everything = {f"convene.{m.name}" for m in pkgutil.iter_modules(convene.__path__)} | {
        f"convene.live.{m.name}" for m in pkgutil.iter_modules(live.__path__)
    }
    allowed = {"convene.live", "convene.live.protocol", "convene.live.transport"}

    assert contract["allow_indirect_imports"] is False
    assert sorted(everything - allowed) == sorted(contract["forbidden_modules"])
