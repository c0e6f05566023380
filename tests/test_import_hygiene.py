"""The domain packages never import the UI, and the command line starts without the heavy
libraries: each checked in a fresh interpreter, where sys.modules tells the truth.

The packages load their names lazily, so `import storage` alone proves little: the test
imports every module of the package and touches every name it exports."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import importlib, json, pkgutil, sys
package = importlib.import_module(sys.argv[1])
modules = [package.__name__]
for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(info.name)
    modules.append(info.name)
for name in getattr(package, "__all__", []):
    getattr(package, name)
print(json.dumps({"modules": modules, "loaded": sorted(sys.modules)}))
"""


def loaded_after(code: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def top_level(modules: list[str]) -> set[str]:
    return {name.partition(".")[0] for name in modules}


@pytest.mark.parametrize("package", ["instruments", "storage", "exports"])
def test_domain_package_never_imports_textual(package: str) -> None:
    result = loaded_after(PROBE, package)
    assert len(result["modules"]) > 1  # the walk found the package's modules
    assert "textual" not in top_level(result["loaded"])
    assert "tui" not in top_level(result["loaded"])


def test_storage_does_not_import_exports() -> None:
    """Data flows one way: instruments <- storage <- exports."""
    assert "exports" not in top_level(loaded_after(PROBE, "storage")["loaded"])
    assert not top_level(loaded_after(PROBE, "instruments")["loaded"]) & {"storage", "exports"}


def test_the_command_line_starts_without_pandas_or_textual() -> None:
    """`klaspeil validate` and `klaspeil check` must start fast: the module that defines the
    commands imports neither the UI nor the export stack."""
    code = "import json, sys, tui.cli; print(json.dumps({'loaded': sorted(sys.modules)}))"
    loaded = top_level(loaded_after(code)["loaded"])
    assert "tui" in loaded
    assert not loaded & {"textual", "pandas", "numpy"}, loaded & {"textual", "pandas", "numpy"}
