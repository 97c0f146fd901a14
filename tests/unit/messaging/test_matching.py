"""What people type: case, spacing, punctuation, suffixes and small typos must not matter."""
import pytest

from jaring.messaging import matching


@pytest.mark.parametrize("typed", ["MENU", "menu", " Menu! ", "mneu", "menuu", "Menu."])
def test_menu_is_recognised_however_it_is_typed(typed):
    assert matching.same(typed, "menu")


@pytest.mark.parametrize("typed", ["ya", "tidak", "mana", "menunggu"])
def test_other_words_are_not_menu(typed):
    assert not matching.same(typed, "menu")


def test_short_words_must_match_exactly():
    assert matching.same("ya", "ya") and not matching.same("ta", "ya")


@pytest.mark.parametrize("typed", ["jam buka?", "JAM BUKANYA kapan", "jambuka brp", "jm buka", "jam  bka"])
def test_a_phrase_is_found_inside_a_message_despite_typos_and_spacing(typed):
    assert matching.contains(typed, "jam buka") is not None


def test_an_unrelated_message_contains_no_phrase():
    assert matching.contains("saya mau bertanya tentang wakaf", "jam buka") is None


def test_the_closest_and_longest_phrase_wins():
    choices = [("nikah", ["nikah"]), ("syarat-nikah", ["syarat nikah"]), ("jam", ["jam buka"])]
    assert matching.best_match("syarat nikah apa saja?", choices) == "syarat-nikah"
    assert matching.best_match("kapan jam bukak?", choices) == "jam"
    assert matching.best_match("terima kasih", choices) is None


def test_exact_keywords_ignore_only_case_spacing_and_punctuation():
    assert matching.exactly("Hapus  Data!", ["hapus data"]) and matching.exactly("HAPUSDATA", ["hapus data"])
    assert not matching.exactly("hapus dta", ["hapus data"])  # erasure is never guessed from a typo


def test_distance_counts_a_swap_of_neighbours_as_one_typo():
    assert matching.distance("tiekt", "tiket", 2) == 1
    assert matching.distance("abc", "xyz", 1) == 2  # gives up past the limit
