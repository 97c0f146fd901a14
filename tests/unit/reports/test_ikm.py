"""The Indeks Kepuasan Masyarakat exactly as PermenPANRB 14/2017 computes it, checked against hand sums."""
from decimal import Decimal
from fractions import Fraction

import pytest

from jaring.reports.ikm import OTHER, NoResponses, Tally, compute, grade, krejcie_morgan, rounded, suppress
from jaring.survey.responses import UNSUR

# Three citizens at the PTSP counter, answers U1..U9.
THREE = [(4, 3, 3, 4, 3, 4, 4, 2, 3), (3, 3, 2, 4, 3, 3, 4, 1, 3), (4, 4, 3, 4, 4, 4, 4, 2, 2)]


def tally(*rows):
    return Tally.of(dict(zip(UNSUR, row)) for row in rows)


def uniform(respondents, sum_per_unsur):
    """Every unsur summing to the same total: the mean NRR is sum/respondents."""
    return Tally(respondents, (sum_per_unsur,) * 9)


def test_three_citizens_by_hand():
    # Column sums 11 10 8 12 10 11 12 5 8 = 87; NRR = sum/3; IKM = 87/3 × 1/9 × 25 = 80.5556
    index = compute(tally(*THREE))
    assert index.respondents == 3
    assert [round(float(n), 4) for n in index.nrr] == [3.6667, 3.3333, 2.6667, 4.0, 3.3333, 3.6667, 4.0, 1.6667,
                                                      2.6667]
    assert round(float(index.ikm), 4) == 80.5556
    assert index.ikm == Fraction(87, 27) * 25
    assert (str(index.shown), index.mutu, index.kinerja) == ("80.56", "B", "Baik")


def test_the_weakest_unsur_come_first_for_the_follow_up_plan():
    ranked = compute(tally(*THREE)).weakest_first()
    assert [u.key for u in ranked] == ["U8", "U3", "U9", "U2", "U5", "U1", "U6", "U4", "U7"]
    assert [str(u.nik_shown) for u in ranked[:3]] == ["41.67", "66.67", "66.67"]
    assert ranked[0].name.startswith("Penanganan Pengaduan")


def test_weights_are_exactly_one_ninth_so_all_fours_is_one_hundred():
    # With 0.111 it would be 99.90 and with 0.11 99.00.
    index = compute(tally(*[(4,) * 9] * 7))
    assert index.ikm == 100 and str(index.shown) == "100.00" and index.mutu == "A"


def test_everyone_answering_three_is_only_kurang_baik():
    index = compute(tally(*[(3,) * 9] * 4))
    assert (index.ikm, index.mutu, index.kinerja) == (75, "C", "Kurang Baik")


def test_all_ones_is_twenty_five_not_below_the_table():
    index = compute(tally((1,) * 9))
    assert (index.ikm, index.mutu, index.kinerja) == (25, "D", "Tidak Baik")


# 2500 respondents whose every unsur sums to S have mean NRR S/2500, so IKM = S/100 exactly.
@pytest.mark.parametrize("sum_per_unsur, ikm, mutu, kinerja", [
    (8831, "88.31", "A", "Sangat Baik"),
    (8830, "88.30", "B", "Baik"),
    (7661, "76.61", "B", "Baik"),
    (7660, "76.60", "C", "Kurang Baik"),
    (6500, "65.00", "C", "Kurang Baik"),
    (6499, "64.99", "D", "Tidak Baik"),
])
def test_every_grade_bound(sum_per_unsur, ikm, mutu, kinerja):
    index = compute(uniform(2500, sum_per_unsur))
    assert round(float(index.ikm), 4) == float(ikm)
    assert (str(index.shown), index.mutu, index.kinerja) == (ikm, mutu, kinerja)


def test_an_index_in_the_gap_of_the_table_is_graded_after_rounding_half_up():
    # 5000 respondents summing 15321 per unsur: IKM = 15321/5000 × 25 = 76.605 exactly → 76.61 → B.
    assert compute(uniform(5000, 15321)).ikm == Fraction(76605, 1000)
    assert (str(compute(uniform(5000, 15321)).shown), compute(uniform(5000, 15321)).mutu) == ("76.61", "B")
    # One answer point less is 76.6049…, shown 76.60 → C.
    just_below = Tally(5000, (15321,) * 8 + (15320,))
    assert (str(compute(just_below).shown), compute(just_below).mutu) == ("76.60", "C")


def test_rounding_is_half_up_on_the_exact_value():
    assert rounded(Fraction(88305, 1000)) == Decimal("88.31")
    assert rounded(Fraction(8830499, 100000)) == Decimal("88.30")
    assert grade(Fraction(88305, 1000)) == ("A", "Sangat Baik")


def test_nobody_answered_means_no_index():
    with pytest.raises(NoResponses):
        compute(Tally())


def test_tallies_from_separate_days_add_up_to_the_same_index():
    assert compute(tally(*THREE[:1]) + tally(*THREE[1:])).ikm == compute(tally(*THREE)).ikm


@pytest.mark.parametrize("population, sample", [
    (10, 10), (50, 44), (100, 80), (200, 132), (300, 169), (400, 196), (500, 217), (800, 260), (833, 263),
    (850, 265), (1000, 278), (1500, 306), (2000, 322), (3000, 341), (5000, 357), (10000, 370), (100000, 383),
    (1000000, 384), (0, 0), (1, 1),
])
def test_krejcie_morgan_sample_matches_the_1970_table(population, sample):
    assert krejcie_morgan(population) == sample


def test_profile_categories_with_few_people_are_merged_so_nobody_stands_out():
    assert suppress({"SMA": 12, "S1": 7, "S2": 2, "SD": 4}) == [("SMA", 12), ("S1", 7), (OTHER, 6)]


def test_a_single_small_category_is_not_given_away_by_the_total():
    # Showing L=30 and "others"=2 would reveal the two women; the smallest shown category joins them.
    assert suppress({"L": 30, "P": 2}) == [(OTHER, 32)]
    assert suppress({"SMA": 20, "S1": 9, "S3": 1}) == [("SMA", 20), (OTHER, 10)]


def test_too_few_people_show_nothing_at_all():
    assert suppress({"P": 3}) == []
    assert suppress({"L": 2, "P": 2}) == []
    assert suppress({}) == []


def test_a_blank_unsur_divides_by_the_sheets_that_answered_it_not_by_all():
    # The three citizens, the third left U8 blank: U8's NRR is (2 + 1) / 2, the other unsur stay /3.
    answers = [dict(zip(UNSUR, row)) for row in THREE]
    del answers[2]["U8"]
    index = compute(Tally.of(answers))
    assert index.respondents == 3
    u8 = index.unsur[7]
    assert (u8.key, u8.answered, u8.nrr) == ("U8", 2, Fraction(3, 2))
    assert [u.answered for u in index.unsur] == [3] * 7 + [2, 3]
    expected = (Fraction(11 + 10 + 8 + 12 + 10 + 11 + 12 + 8, 3) + Fraction(3, 2)) / 9 * 25
    assert index.ikm == expected and str(index.shown) == "80.09" and index.mutu == "B"


def test_a_fully_blank_sheet_is_no_respondent_and_an_unsur_nobody_answered_has_no_index():
    assert Tally.of([{"U1": None}, {}]).respondents == 0
    only_some = Tally.of([{u: 4 for u in UNSUR if u != "U4"}] * 6)
    assert only_some.respondents == 6 and only_some.unanswered == ["U4"]
    with pytest.raises(NoResponses, match="U4"):
        compute(only_some)


def test_stored_aggregates_without_blanks_count_every_respondent_for_every_unsur():
    old = Tally.from_sums(3, dict(zip(UNSUR, (11, 10, 8, 12, 10, 11, 12, 5, 8))))
    assert compute(old) == compute(tally(*THREE))
    new = Tally.from_sums(3, dict(zip(UNSUR, (11, 10, 8, 12, 10, 11, 12, 3, 8))), {"U8": 1})
    assert new.answered() == (3,) * 7 + (2, 3)
    assert (old + new).answered() == (6,) * 7 + (5, 6)


def test_priorities_are_the_weakest_unsur_below_the_a_bound_at_most_three():
    assert [u.key for u in compute(tally(*THREE)).priorities()] == ["U8", "U3", "U9"]
    # U1 at 100 is never a priority, even when only two unsur fall short of A.
    two_short = [dict(zip(UNSUR, (4, 4, 4, 4, 4, 4, 4, 3, 4)))] * 2 + [dict(zip(UNSUR, (4, 4, 3, 4, 4, 4, 4, 3, 4)))]
    assert [(u.key, str(u.nik_shown)) for u in compute(Tally.of(two_short)).priorities()] == [("U8", "75.00")]


def test_an_unsur_scored_the_same_as_the_third_priority_is_a_priority_too():
    tied = Tally.from_sums(3, dict(zip(UNSUR, (11, 9, 8, 12, 10, 11, 12, 5, 9))))
    assert [(u.key, str(u.nik_shown)) for u in compute(tied).priorities()] == [
        ("U8", "41.67"), ("U3", "66.67"), ("U2", "75.00"), ("U9", "75.00")]


def test_no_priorities_when_every_unsur_is_sangat_baik():
    # 88.31 is A: the shown value decides, like the grade.
    at_bound = Tally(2500, (8831,) * 9)
    assert compute(at_bound).priorities() == []
    assert [u.key for u in compute(Tally(2500, (8831,) * 8 + (8830,))).priorities()] == ["U9"]
