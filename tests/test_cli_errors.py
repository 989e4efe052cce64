"""Every command-line failure is one readable line and a non-zero exit (issue 14)."""

from __future__ import annotations

import pytest

from btm import cli


def test_reports_dir_that_is_a_file_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "README.md").write_text("hi")
    for where in ("README.md", "README.md/sub"):
        assert cli.main(["run", "tco_comparison", "--reports-dir", where]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("btm: error: --reports-dir: got")
        assert "Traceback" not in err[0]
    assert not any(p.is_dir() for p in tmp_path.iterdir())  # nothing was created


def test_unexpected_error_is_one_line_and_debug_shows_it(capsys, monkeypatch):
    def boom(args):
        raise RuntimeError("disk\non fire")

    monkeypatch.setitem(cli._COMMANDS, "list", boom)
    assert cli.main(["list"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["btm: error: RuntimeError: disk on fire (run with --debug for the traceback)"]
    for argv in (["--debug", "list"], ["list", "--debug"]):
        with pytest.raises(RuntimeError, match="disk"):
            cli.main(argv)


def test_sweep_output_below_a_file_is_refused_before_running(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("x")
    code = cli.main(["sweep", "tco_comparison", "-g", "horizon_years", "3,4",
                     "--output", str(tmp_path / "notes.txt" / "x.csv")])
    assert code == 2
    err = capsys.readouterr().err
    assert "--output" in err and "Traceback" not in err
    assert not (tmp_path / "reports").exists()  # no run started
