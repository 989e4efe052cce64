"""Tests of btm.files: locating, reading and fingerprinting input files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from btm import InputError
from btm import files as bio

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny_costs.csv"


def test_sha256_fips_180_2_abc_vector(tmp_path):
    """FIPS 180-2, Appendix B.1: SHA-256("abc") = ba7816bf 8f01cfea ... f20015ad."""
    f = tmp_path / "abc.txt"
    f.write_bytes(b"abc")
    assert bio.sha256(f) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_sha256_equals_hashlib_on_a_file_larger_than_one_chunk(tmp_path):
    """Chunked reading must give hashlib's digest of the whole content (3 MiB > 1 MiB chunk)."""
    content = bytes(range(256)) * (3 * 4096 + 7)
    f = tmp_path / "big.bin"
    f.write_bytes(content)
    assert bio.sha256(f) == hashlib.sha256(content).hexdigest()


def test_sha256_dir_is_the_hash_of_sorted_file_lines(tmp_path):
    (tmp_path / "b.csv").write_text("2")
    (tmp_path / "a.csv").write_text("1")
    (tmp_path / ".hidden").write_text("ignored")
    expected_lines = "".join(
        f"{name} {hashlib.sha256(text.encode()).hexdigest()}\n"
        for name, text in [("a.csv", "1"), ("b.csv", "2")]
    )
    assert bio.sha256_dir(tmp_path) == hashlib.sha256(expected_lines.encode()).hexdigest()
    before = bio.sha256_dir(tmp_path)
    (tmp_path / "a.csv").write_text("changed")
    assert bio.sha256_dir(tmp_path) != before


def test_resolve_path_prefers_current_directory_then_package_root(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data" / "tco").mkdir(parents=True)
    local = tmp_path / "data" / "tco" / "costs.csv"
    local.write_text("local")
    assert bio.resolve_path("data/tco/costs.csv", parameter="x") == local
    local.unlink()
    bundled = bio.package_root() / "data" / "tco" / "costs.csv"
    assert bio.resolve_path("data/tco/costs.csv", parameter="x") == bundled.resolve()
    assert bio.resolve_path(TINY, parameter="x") == TINY


def test_resolve_path_missing_names_parameter_and_paths_tried(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match=r"^costs_file: file 'nope\.csv' not found") as err:
        bio.resolve_path("nope.csv", parameter="costs_file")
    assert str(tmp_path / "nope.csv") in str(err.value)
    assert str(bio.package_root() / "nope.csv") in str(err.value)
    with pytest.raises(InputError, match="^costs_file: got an empty path"):
        bio.resolve_path("", parameter="costs_file")
    with pytest.raises(InputError, match="^data_dir: '.*' is a file .*; expected a folder$"):
        bio.resolve_path(TINY, parameter="data_dir", kind="dir")
    (tmp_path / "costs.csv").mkdir()  # a folder named as a file: said so, not "not found"
    with pytest.raises(InputError, match="^costs_file: 'costs.csv' is a folder .*; expected a "
                                         "file$"):
        bio.resolve_path("costs.csv", parameter="costs_file")


def test_read_table_csv_and_xlsx_give_the_same_frame(tmp_path):
    csv = bio.read_table(TINY, parameter="input_file")
    assert list(csv.columns) == ["option", "year", "amount"]
    assert len(csv) == 12
    xlsx = tmp_path / "costs.xlsx"
    csv.to_excel(xlsx, index=False)
    pd.testing.assert_frame_equal(bio.read_table(xlsx, parameter="input_file"), csv)


def test_read_table_never_modifies_the_input(tmp_path):
    f = tmp_path / "costs.csv"
    f.write_bytes(TINY.read_bytes())
    before = (f.read_bytes(), f.stat().st_mtime_ns)
    df = bio.read_table(f)
    df.loc[0, "amount"] = -1
    assert (f.read_bytes(), f.stat().st_mtime_ns) == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("costs.txt", b"a,b\n1,2\n", r"unknown format '\.txt'"),
        ("costs.xlsx", b"this is not a zip file", r"expected a valid xlsx file"),
        ("costs.xlsx", b"PK\x03\x04 not really a zip", r"expected a valid xlsx file"),
    ],
)
def test_read_table_unreadable_file_is_an_input_error(tmp_path, name, content, message):
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(InputError, match=rf"^demand_file: cannot read .*{message}"):
        bio.read_table(f, parameter="demand_file")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"is empty; expected a header row"),
        (b"  \n\n", r"is empty; expected a header row"),
        (b"PK\x03\x04rest-of-a-workbook", r"is an Excel workbook .* with a \.csv name"),
        (b"a,b\n\x00\x01\x02", r"holds binary data, not text"),
        (b"option,amount\nCaf\xe9,1\n", r"line 2: byte 0xe9 is not UTF-8 text"),
        (b"option,amount,option\nA,1,B\n", r"column 'option' appears twice in the header"),
        (b"option;amount\nA;1\n", r"one column 'option;amount', which seems separated by "
                                  r"semicolons"),
        (b"option\tamount\nA\t1\n", r"which seems separated by tabs"),
    ],
)
def test_read_table_names_what_is_wrong_with_a_malformed_csv(tmp_path, content, message):
    f = tmp_path / "costs.csv"
    f.write_bytes(content)
    with pytest.raises(InputError, match=rf"^costs_file: '.*costs\.csv'.*{message}"):
        bio.read_table(f, parameter="costs_file")


def test_read_table_accepts_excels_utf8_byte_order_mark(tmp_path):
    f = tmp_path / "costs.csv"
    f.write_bytes("\ufeffoption,amount\nCafé,1\n".encode())
    df = bio.read_table(f, parameter="costs_file")
    assert list(df.columns) == ["option", "amount"] and df["option"].iloc[0] == "Café"


def test_read_table_refuses_a_repeated_name_in_an_excel_header(tmp_path):
    f = tmp_path / "costs.xlsx"
    pd.DataFrame([["A", 1, "B"]], columns=["option", "amount", "x"]).rename(
        columns={"x": "option"}).to_excel(f, index=False)
    with pytest.raises(InputError, match=r"^costs_file: .*column 'option' appears twice"):
        bio.read_table(f, parameter="costs_file")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_only_a_blank_cell_is_missing(tmp_path, suffix):
    """pandas reads "NA", "n/a", "None", "null" as missing by default: a region "NA" would be
    lost and "n/a" in an amount reported as an empty cell (the README promises
    "got 'n/a'; expected a number")."""
    df = pd.DataFrame({"region": ["NA", "None", "EU"], "amount": ["n/a", "null", ""]})
    path = tmp_path / f"t{suffix}"
    if suffix == ".csv":
        df.to_csv(path, index=False)
    else:
        df.to_excel(path, index=False)
    got = bio.read_table(path)
    assert got["region"].tolist() == ["NA", "None", "EU"]
    assert got["amount"].tolist()[:2] == ["n/a", "null"] and pd.isna(got["amount"].iloc[2])


def test_n_a_in_an_amount_is_named_as_the_text_it_is(tmp_path):
    from btm import tco

    path = tmp_path / "costs.csv"
    path.write_text("option,item,category,amount,start_year,end_year\n"
                    "A,ERP,licence,100,0,0\nA,ERP,support,n/a,1,5\n")
    with pytest.raises(InputError, match=r"row 2, column 'amount': got 'n/a'; expected a number"):
        tco.validate_costs(bio.read_table(path), source="costs.csv")
