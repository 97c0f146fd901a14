"""QR check-in posters: a wa.me link with the unit's code, as SVG poster or PNG."""
from urllib.parse import parse_qs, urlparse

from jaring.__main__ import main
from jaring.cli import qr
from jaring.tickets import commands as chat_commands


def test_the_link_opens_the_office_chat_with_the_units_code_prefilled():
    url = urlparse(qr.link("6281100000000", "kua-socah", "KUA Socah"))
    assert (url.netloc, url.path) == ("wa.me", "/6281100000000")
    text = parse_qs(url.query)["text"][0]
    assert chat_commands.parse_checkin(text) == "kua-socah" and "KUA Socah" in text


def test_a_unit_is_found_by_its_id_or_its_name_and_the_poster_names_it(tmp_path):
    svg = tmp_path / "socah.svg"
    assert main(["qr", "KUA Kecamatan Socah", "--number", "0811-0000-0000", "--out", str(svg)]) == 0
    poster = svg.read_text()
    assert "KUA Kecamatan Socah" in poster and "MASUK-KUA-SOCAH" in poster and "+62 8110-0000-00" in poster


def test_a_missing_number_or_unknown_unit_is_a_one_line_error(tmp_path, capsys):
    assert main(["qr", "umum", "--out", str(tmp_path / "x.svg")]) == 2
    assert main(["qr", "KUA Atlantis", "--number", "6281100000000", "--out", str(tmp_path / "y.svg")]) == 2
    assert capsys.readouterr().out.count("error:") == 2 and not list(tmp_path.iterdir())
