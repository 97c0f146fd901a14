"""`python -m jaring ikm`, run as an operator runs it: a subprocess in functions/."""
import json
import os
import subprocess
import sys

import pytest

from jaring.survey import store as response_store
from tests.conftest import OFFICE, PROJECT, ROOT

HEADER = "No,Nama petugas,U1,U2,U3,U4,U5,U6,U7,U8,U9"
THREE = ["1,Ani,4,3,3,4,3,4,4,2,3", "2,Budi,3,3,2,4,3,3,4,1,3", "3,Citra,4,4,3,4,4,4,4,2,2"]


def sheet(tmp_path, text, name="skm.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def jaring_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "jaring", *map(str, args)], cwd=ROOT / "functions",
                          capture_output=True, text=True, timeout=60, env={**os.environ, **(env or {})})


def test_the_three_citizens_sheet_gives_the_hand_computed_index_as_json(tmp_path):
    done = jaring_cli("ikm", sheet(tmp_path, "\n".join([HEADER, *THREE]) + "\n"), "--json", "--order", "regulasi")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["respondents"] == 3
    assert [round(n, 4) for n in result["nrr"]] == [3.6667, 3.3333, 2.6667, 4.0, 3.3333, 3.6667, 4.0, 1.6667, 2.6667]
    assert round(result["ikm"], 4) == 80.5556
    assert (result["mutu"], result["kinerja"]) == ("B", "Baik")


def test_the_table_names_the_grade_and_the_weakest_unsur(tmp_path):
    done = jaring_cli("ikm", sheet(tmp_path, "\n".join([HEADER, *THREE])), "--order", "regulasi")
    assert done.returncode == 0, done.stderr
    assert "80.56" in done.stdout and "Baik" in done.stdout
    assert "Prioritas perbaikan: U8 Penanganan Pengaduan" in done.stdout
    assert "column 'U8' = U8 Penanganan Pengaduan" in done.stdout


def test_a_spreadsheet_saved_with_semicolons_and_a_byte_order_mark_is_read(tmp_path):
    text = "\ufeff" + "\n".join(line.replace(",", ";") for line in [HEADER, *[f"{i};x" + ";4" * 9 for i in range(5)]])
    done = jaring_cli("ikm", sheet(tmp_path, text), "--json", "--order", "kuesioner")
    assert json.loads(done.stdout)["ikm"] == 100.0 and json.loads(done.stdout)["mutu"] == "A"


@pytest.mark.parametrize("text, says", [
    (HEADER + "\n1,Ani,4,3,3,4,5,4,4,2,3\n", "row 2, column U5"),
    (HEADER + "\n" + THREE[0] + "\n2,Budi,3,3,2,4,3,3,4,1,tiga\n", "row 3, column U9"),
    (HEADER.replace(",U7", "") + "\n1,Ani,4,3,3,4,3,4,2,3\n", "row 1, column U7"),
    (HEADER + "\n", "row 2"),
    ("", "row 1"),
])
def test_bad_sheets_get_one_line_naming_row_and_column_and_no_traceback(tmp_path, text, says):
    done = jaring_cli("ikm", sheet(tmp_path, text), "--order", "regulasi")
    assert done.returncode != 0 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and says in done.stderr
    assert "Traceback" not in done.stderr


def test_a_missing_file_is_one_line_too(tmp_path):
    done = jaring_cli("ikm", tmp_path / "nope.csv")
    assert done.returncode != 0 and done.stderr.startswith("error: cannot read") and done.stderr.count("\n") == 1


def store_env(emulator_host):
    return {"FIRESTORE_EMULATOR_HOST": emulator_host, "GOOGLE_CLOUD_PROJECT": PROJECT,
            "WHATSAPP_APP_SECRET": "s", "WHATSAPP_VERIFY_TOKEN": "v", "WHATSAPP_ACCESS_TOKEN": "t",
            "WHATSAPP_PHONE_NUMBER_ID": "1", "JARING_DEFAULT_OFFICE": OFFICE}


def test_a_paper_survey_is_stored_once_as_responses_of_its_unit_and_day(tmp_path, db, emulator_host):
    path = sheet(tmp_path, "\n".join([HEADER + ",sex,education", *[r + ",P,SMA" for r in THREE]]))
    args = ("ikm", path, "--json", "--order", "regulasi", "--store", "--unit", "kua-kamal", "--date", "2026-03-31",
            "--service", "pendaftaran nikah")
    first = jaring_cli(*args, env=store_env(emulator_host))
    assert first.returncode == 0, first.stderr
    again = jaring_cli(*args, env=store_env(emulator_host))
    assert "stored 0 paper responses" in again.stderr and "3 were stored before" in again.stderr
    stored = [s.to_dict() for s in db.collection(response_store.RESPONSES).stream()]
    assert len(stored) == 3
    assert {(d["office"], d["unit"], d["service"], d["channel"], d["day"]) for d in stored} == {
        (OFFICE, "kua-kamal", "Pendaftaran Nikah", "paper", "2026-03-31")}
    assert all(d["profile"] == {"sex": "P", "education": "SMA"} for d in stored)
    aggregates = [row for s in db.collection(response_store.REPORT_MONTHS).stream()
                  for row in response_store.rows(s.to_dict())]
    assert sum(a["responses"] for a in aggregates) == 3 and sum(a["sums"]["U8"] for a in aggregates) == 5
    assert "Nama" not in str(stored) and "Ani" not in str(stored)


def test_storing_needs_the_unit_and_day_and_writes_nothing_without_them(tmp_path, db, emulator_host):
    done = jaring_cli("ikm", sheet(tmp_path, "\n".join([HEADER, *THREE])), "--order", "regulasi", "--store",
                      env=store_env(emulator_host))
    assert done.returncode != 0 and "--unit and --date" in done.stderr
    assert list(db.collection(response_store.RESPONSES).stream()) == []


def test_a_sheet_with_u8_left_blank_counts_the_other_unsur_and_divides_u8_by_those_who_answered(tmp_path):
    # The blank U8 is not a 1 and the row is not dropped: 80.09 (B), where deleting the row gave 75.00 (C).
    rows = [THREE[0], THREE[1], "3,Citra,4,4,3,4,4,4,4,,2", "4,Dedi,,,,,,,,,"]
    done = jaring_cli("ikm", sheet(tmp_path, "\n".join([HEADER, *rows])), "--json", "--order", "regulasi")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["respondents"] == 3 and result["answered"]["U8"] == 2 and result["answered"]["U9"] == 3
    assert result["nrr_x25"]["U8"] == 37.5 and result["ikm_shown"] == "80.09" and result["mutu"] == "B"
    assert result["blank_rows"] == [5]  # Dedi answered nothing: no respondent


def test_numbered_columns_8_and_9_without_the_questionnaire_order_are_refused_not_guessed(tmp_path):
    done = jaring_cli("ikm", sheet(tmp_path, "\n".join([HEADER, *THREE])))
    assert done.returncode == 2 and done.stdout == "" and done.stderr.count("\n") == 1
    assert "column 'U8'" in done.stderr and "kuesioner" in done.stderr and "regulasi" in done.stderr


def test_question_numbers_in_the_sample_questionnaires_order_read_question_8_as_sarana(tmp_path):
    header = "No,P1,P2,P3,P4,P5,P6,P7,P8,P9"
    done = jaring_cli("ikm", sheet(tmp_path, "\n".join([header, *(r.replace(",Ani", "").replace(",Budi", "")
                                                                  .replace(",Citra", "") for r in THREE)])),
                      "--json", "--order", "kuesioner")
    result = json.loads(done.stdout)
    assert result["mapping"]["P8"] == "U9" and result["mapping"]["P9"] == "U8"
    # Column 8 held 2, 1, 2: under kuesioner that is Sarana dan Prasarana.
    assert abs(result["nrr_x25"]["U9"] - 5 / 3 * 25) < 1e-9
    assert result["priorities"][0] == "U9"


def test_columns_named_by_unsur_need_no_order_and_the_mapping_is_printed(tmp_path):
    header = ("Persyaratan,Prosedur,Waktu Penyelesaian,Biaya/Tarif,Produk Spesifikasi Jenis Pelayanan,"
              "Kompetensi Pelaksana,Perilaku Pelaksana,Sarana dan Prasarana,Penanganan Pengaduan Saran dan Masukan")
    rows = ["4,3,3,4,3,4,4,3,2", "3,3,2,4,3,3,4,3,1", "4,4,3,4,4,4,4,2,2"]  # sarana before pengaduan
    done = jaring_cli("ikm", sheet(tmp_path, "\n".join([header, *rows])))
    assert done.returncode == 0, done.stderr
    assert "column 'Sarana dan Prasarana' = U9 Sarana dan Prasarana" in done.stdout
    assert "column 'Penanganan Pengaduan Saran dan Masukan' = U8 Penanganan Pengaduan" in done.stdout
    assert "80.56" in done.stdout  # the three citizens again, columns 8 and 9 swapped on paper


@pytest.mark.parametrize("header, says", [
    ("U1,U2,U3,U4,U5,U6,U7,Sarana pengaduan,U9", "could be U8"),
    ("Persyaratan,U1,U2,U3,U4,U5,U6,U7,U8,U9", "both read as U1"),
])
def test_a_header_that_could_mean_two_things_is_refused(tmp_path, header, says):
    done = jaring_cli("ikm", sheet(tmp_path, header + "\n" + ",".join("4" * 10) + "\n"), "--order", "regulasi")
    assert done.returncode == 2 and says in done.stderr and done.stderr.count("\n") == 1


def test_storing_for_a_unit_not_in_the_office_file_is_refused_with_the_valid_ids(tmp_path, db, emulator_host):
    done = jaring_cli("ikm", sheet(tmp_path, "\n".join([HEADER, *THREE])), "--order", "regulasi", "--store",
                      "--unit", "kua-mars", "--date", "2026-03-31", env=store_env(emulator_host))
    assert done.returncode == 2 and "no unit 'kua-mars' (units: umum," in done.stdout + done.stderr
    assert list(db.collection(response_store.RESPONSES).stream()) == []
