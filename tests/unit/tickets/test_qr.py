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


def test_svg_poster_and_png_code(tmp_path, capsys):
    svg, png = tmp_path / "socah.svg", tmp_path / "socah.png"
    assert main(["qr", "kua-socah", "--name", "KUA Socah", "--number", "0811-0000-0000", "--out", str(svg)]) == 0
    poster = svg.read_text()
    assert poster.startswith("<svg") and "KUA Socah" in poster and "MASUK-KUA-SOCAH" in poster and "<path" in poster
    assert main(["qr", "umum", "--number", "6281100000000", "--format", "png", "--out", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_missing_number_or_bad_unit_is_a_one_line_error(tmp_path, capsys):
    assert main(["qr", "umum", "--number", "", "--out", str(tmp_path / "x.svg")]) == 2
    assert main(["qr", "KUA Socah", "--number", "6281100000000"]) == 2
    assert capsys.readouterr().out.count("error:") == 2 and not list(tmp_path.iterdir())
