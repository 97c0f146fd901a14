"""Units and services typed by staff become the office file's catalogue entries, or are refused with the choices."""
import pytest

from jaring.offices import catalogue
from tests.support.dialogue import seed_config

CONFIG = seed_config()


@pytest.mark.parametrize("typed", ["Legalisir Ijazah Madrasah Swasta", "legalisir ijazah madrasah swasta",
                                   "LEGALISIR IJAZAH", "legalisr ijazah", "Legalisir  ijazah.", "legalisir",
                                   "Legalisir Ijazah Madrasa Swata"])
def test_case_spacing_and_typos_reach_the_one_catalogue_service(typed):
    assert catalogue.service(CONFIG, "pendma", typed) == "Legalisir Ijazah Madrasah Swasta"


def test_nothing_typed_is_no_service():
    assert catalogue.service(CONFIG, "pendma", "  ") == ""


def test_words_that_fit_two_services_are_refused_with_both():
    with pytest.raises(catalogue.NotInCatalogue) as refused:
        catalogue.service(CONFIG, "pendma", "ijazah")
    assert "Legalisir Ijazah Madrasah Swasta" in str(refused.value)
    assert "Surat Keterangan Pengganti Ijazah" in str(refused.value)


def test_a_service_of_another_unit_is_refused_with_this_units_list():
    with pytest.raises(catalogue.NotInCatalogue) as refused:
        catalogue.service(CONFIG, "pendma", "pendaftaran haji")
    said = str(refused.value)
    assert "tidak ada di katalog Seksi Pendidikan Madrasah (Pendma)" in said
    assert "Izin Operasional Madrasah Swasta" in said and "Pendaftaran Haji" not in said


@pytest.mark.parametrize("typed, unit", [("kua-kamal", "kua-kamal"), ("KUA Kamal", "kua-kamal"),
                                         ("KUA Kecamatan Kamal", "kua-kamal"), ("UMUM", "umum")])
def test_a_unit_is_its_id_name_or_title(typed, unit):
    assert catalogue.unit(CONFIG, typed).id == unit


def test_an_unknown_unit_is_refused_with_the_valid_ids():
    with pytest.raises(catalogue.NotInCatalogue) as refused:
        catalogue.unit(CONFIG, "KUA-MARS")
    assert "'KUA-MARS'" in str(refused.value) and "kua-kamal" in str(refused.value) and "umum" in str(refused.value)
