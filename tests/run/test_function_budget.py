"""``make lint``'s function budget (issue 37): no function of ``src/`` over 60 lines or over complexity 12
(``tools/check_functions.py``, run by ``make lint`` before the tests). The package is within budget, and the check
fails, naming the function, on a function one line or one branch over it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _tool():
    spec = importlib.util.spec_from_file_location("check_functions", ROOT / "tools" / "check_functions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_package_is_within_the_function_budget(capsys):
    assert _tool().main(["src"]) == 0, capsys.readouterr().out


def test_a_function_of_61_lines_fails_and_one_of_60_passes(tmp_path, capsys):
    body = "\n".join(f"    x{i} = {i}" for i in range(58))
    (tmp_path / "ok.py").write_text(f'def ok():\n{body}\n    return 0\n', encoding="utf-8")  # 60 lines
    (tmp_path / "long.py").write_text(f'def long():\n{body}\n    y = 1\n    return y\n', encoding="utf-8")  # 61
    tool = _tool()
    assert tool.main([str(tmp_path / "ok.py")]) == 0
    assert tool.main([str(tmp_path / "long.py")]) == 1
    assert "long.py:1: long: 61 lines (> 60)" in capsys.readouterr().out


def test_a_function_of_complexity_13_fails(tmp_path, capsys):
    branches = "\n".join(f"    if x == {i}:\n        return {i}" for i in range(12))  # 12 ifs: complexity 13
    (tmp_path / "branchy.py").write_text(f"def branchy(x):\n{branches}\n    return -1\n", encoding="utf-8")
    assert _tool().main([str(tmp_path / "branchy.py")]) == 1
    assert "branchy: complexity 13 (> 12)" in capsys.readouterr().out
