"""The question kinds one method at a time (table-driven): what each kind takes, refuses,
counts and shows. Expected values are worked out by hand, never by the code under test.

Written to kill the mutants mutmut left alive in workshop/kinds/ (docs/testing.md)."""

from __future__ import annotations

import string

import pytest

from workshop import kinds
from workshop.domain import Dilemma, Option, Scale, WorkshopError
from workshop.kinds.base import Kind, Row, adhoc_list, adhoc_text
from workshop.kinds.choice import KIND as CHOICE_KIND
from workshop.kinds.scale import KIND as SCALE_KIND
from workshop.kinds.scale import agreement_check
from workshop.kinds.text import KIND as TEXT_KIND
from workshop.kinds.text import words

CHOICE = Dilemma(
    "d1",
    {"da": "T"},
    {"da": "X"},
    {"da": "Q"},
    (
        Option("a", {"da": "Ja", "en": "Yes"}, ("honesty", "respect")),
        Option("b", {"da": "Nej", "en": "No"}, ("respect",)),
        Option("c", {"da": "Måske"}, ()),
    ),
)
SCALE5 = Dilemma(
    "d2",
    {"da": "S"},
    {"da": "X"},
    {"da": "Q"},
    kind="scale",
    scale=Scale(5, {"da": "Uenig", "en": "Disagree"}, {"da": "Enig", "en": "Agree"}),
    values=("trust",),
)
SCALE7 = Dilemma(
    "d4",
    {"da": "S"},
    {"da": "X"},
    {"da": "Q"},
    kind="scale",
    scale=Scale(7, {"da": "Nej"}, {"da": "Ja"}),
    values=("trust", "respect"),
)
TEXT = Dilemma("d3", {"da": "F"}, {"da": "X"}, {"da": "Q"}, kind="text", values=("engagement",), reason="off")


def code_and_detail(fn, *args, **kwargs):
    with pytest.raises(WorkshopError) as err:
        fn(*args, **kwargs)
    return err.value.code, err.value.detail


# --- the registry --------------------------------------------------------------------------


def test_the_registry_holds_the_three_kinds_by_name_in_order():
    assert list(kinds.KINDS) == ["choice", "scale", "text"]
    assert [k.name for k in kinds.KINDS.values()] == ["choice", "scale", "text"]
    assert (kinds.of(CHOICE), kinds.of(SCALE5), kinds.of(TEXT)) == (CHOICE_KIND, SCALE_KIND, TEXT_KIND)


@pytest.mark.parametrize("name", ["choice", "scale", "text"])
def test_a_kind_is_named_by_its_name(name):
    assert kinds.named(name).name == name


@pytest.mark.parametrize("name", ["poll", "", None, 1, ["choice"], "Choice"])
def test_an_unknown_kind_name_is_an_invalid_request(name):
    assert code_and_detail(kinds.named, name) == ("invalid_request", "kind must be one of choice, scale, text")


@pytest.mark.parametrize(
    "kind, has_reason, hides_answer",
    [(CHOICE_KIND, True, False), (SCALE_KIND, True, False), (TEXT_KIND, False, True)],
)
def test_which_kinds_take_a_reason_and_hide_hidden_answers(kind, has_reason, hides_answer):
    assert (kind.has_reason, kind.hides_answer) == (has_reason, hides_answer)


def test_the_base_kind_defaults_fit_a_kind_without_options():
    k = Kind()
    assert (k.name, k.has_reason, k.hides_answer) == ("", True, False)
    assert k.adhoc({"x": 1}, "da") == {}
    assert k.payload(TEXT, "da") == {"options": []}
    assert k.key("x") is None
    assert k.text_of("value", "reason") == "reason"
    assert k.text_of("value", None) is None
    assert k.served(SCALE7, 3) == ("trust", "respect")
    assert k.distribution(TEXT, ["x"]) is None
    assert k.rows(TEXT, {"counts": {"a": 1}}, "da") == []
    for call in (lambda: k.check(None, {}), lambda: k.parse(TEXT, {}), lambda: k.mine(1), lambda: k.tally(TEXT, [])):
        with pytest.raises(NotImplementedError):
            call()


# --- the shared helpers --------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, required, expected",
    [
        ({"label": "  Ja  "}, True, {"en": "Ja"}),
        ({"label": "x" * 10}, True, {"en": "x" * 10}),
        ({}, False, {}),
        ({"label": "  "}, False, {}),
    ],
)
def test_adhoc_text_is_the_cleaned_text_in_the_sessions_language(data, required, expected):
    assert adhoc_text(data, "label", 10, "en", required=required) == expected


@pytest.mark.parametrize(
    "data, required, detail",
    [
        ({}, True, "label is required"),
        ({"label": ""}, True, "label is required"),
        ({"label": "x" * 11}, False, "label is longer than 10 characters"),
        ({"label": 5}, False, "label must be a string"),
    ],
)
def test_adhoc_text_refuses_with_the_fields_name(data, required, detail):
    assert code_and_detail(adhoc_text, data, "label", 10, "en", required=required) == ("invalid_request", detail)


def test_adhoc_text_is_required_unless_said():
    assert code_and_detail(adhoc_text, {}, "title", 10, "da") == ("invalid_request", "title is required")


@pytest.mark.parametrize("items", [[1, 2], [1, 2, 3], [1] * 4])
def test_adhoc_list_takes_lo_to_hi_items(items):
    assert adhoc_list({"xs": items}, "xs", 2, 4) == items


@pytest.mark.parametrize("items", [None, "ab", {"a": 1}, [1], [1] * 5])
def test_adhoc_list_refuses_anything_else(items):
    assert code_and_detail(adhoc_list, {"xs": items}, "xs", 2, 4) == (
        "invalid_request",
        "xs must be a list of 2 to 4 items",
    )


# --- choice ----------------------------------------------------------------------------------


@pytest.mark.parametrize("labels", [["Ja", "Nej"], ["1", "2", "3", "4", "5", "6"]])
def test_a_live_choice_question_letters_its_options(labels):
    got = CHOICE_KIND.adhoc({"options": [f" {x} " for x in labels]}, "en")
    assert got == {"options": tuple(Option(string.ascii_lowercase[i], {"en": x}, ()) for i, x in enumerate(labels))}


def test_a_live_choice_questions_options_are_a_then_b():
    assert CHOICE_KIND.adhoc({"options": ["Ja", "Nej"]}, "da") == {
        "options": (Option("a", {"da": "Ja"}, ()), Option("b", {"da": "Nej"}, ()))
    }


@pytest.mark.parametrize(
    "data, detail",
    [
        ({}, "options must be a list of 2 to 6 items"),
        ({"options": ["Ja"]}, "options must be a list of 2 to 6 items"),
        ({"options": list("abcdefg")}, "options must be a list of 2 to 6 items"),
        ({"options": ["Ja", None]}, "label is required"),
        ({"options": ["Ja", "  "]}, "label is required"),
        ({"options": ["Ja", "x" * 121]}, "label is longer than 120 characters"),
    ],
)
def test_a_live_choice_question_refuses(data, detail):
    assert code_and_detail(CHOICE_KIND.adhoc, data, "da") == ("invalid_request", detail)


def test_a_live_option_label_may_have_120_characters():
    assert CHOICE_KIND.adhoc({"options": ["x" * 120, "y"]}, "da")["options"][0].label == {"da": "x" * 120}


@pytest.mark.parametrize(
    "language, labels",
    [("en", ["Yes", "No", "Måske"]), ("da", ["Ja", "Nej", "Måske"])],
)
def test_a_choice_payload_lists_the_options_in_the_language(language, labels):
    assert CHOICE_KIND.payload(CHOICE, language) == {
        "options": [
            {"id": "a", "label": labels[0], "values": ["honesty", "respect"]},
            {"id": "b", "label": labels[1], "values": ["respect"]},
            {"id": "c", "label": labels[2], "values": []},
        ]
    }


@pytest.mark.parametrize(
    "data, error",
    [
        ({}, ("invalid_request", "option is required")),
        ({"option": None}, ("invalid_request", "option is required")),
        ({"option": 1}, ("invalid_request", "option is required")),
        ({"option": "z"}, ("invalid_option", "no such option")),
        ({"option": "A"}, ("invalid_option", "no such option")),
    ],
)
def test_a_choice_answer_must_name_an_option(data, error):
    assert code_and_detail(CHOICE_KIND.parse, CHOICE, data) == error


@pytest.mark.parametrize("option", ["a", "b", "c"])
def test_a_choice_answer_is_its_option_id(option):
    assert CHOICE_KIND.parse(CHOICE, {"option": option, "value": 3}) == option
    assert CHOICE_KIND.mine(option) == {"option": option}
    assert CHOICE_KIND.key(option) == option
    assert CHOICE_KIND.text_of(option, "fordi") == "fordi"


@pytest.mark.parametrize("value, served", [("a", ("honesty", "respect")), ("b", ("respect",)), ("c", ()), ("z", ())])
def test_a_choice_answer_serves_its_options_values(value, served):
    assert CHOICE_KIND.served(CHOICE, value) == served


@pytest.mark.parametrize(
    "values, counts, shares",
    [
        ([], {"a": 0, "b": 0, "c": 0}, {"a": 0, "b": 0, "c": 0}),
        (["a", "b", "b", "z"], {"a": 1, "b": 2, "c": 0}, {"a": 33, "b": 67, "c": 0}),
        (["c"], {"a": 0, "b": 0, "c": 1}, {"a": 0, "b": 0, "c": 100}),
    ],
)
def test_a_choice_tally_counts_every_option_and_nothing_else(values, counts, shares):
    assert CHOICE_KIND.distribution(CHOICE, values) == counts
    assert CHOICE_KIND.tally(CHOICE, values) == {"counts": counts, "percentages": shares}


def test_choice_export_rows_have_label_count_and_share():
    results = {"counts": {"a": 2, "b": 1, "c": 0}, "percentages": {"a": 67, "b": 33, "c": 0}}
    assert CHOICE_KIND.rows(CHOICE, results, "en") == [
        Row("a", "Yes", 2, 67),
        Row("b", "No", 1, 33),
        Row("c", "Måske", 0, 0),
    ]
    assert CHOICE_KIND.rows(CHOICE, {"counts": None, "percentages": None}, "da") == [
        Row("a", "Ja", 0, 0),
        Row("b", "Nej", 0, 0),
        Row("c", "Måske", 0, 0),
    ]
    assert CHOICE_KIND.rows(CHOICE, {"counts": {"b": 4}, "percentages": {"b": 100}}, "da")[1:] == [
        Row("b", "Nej", 4, 100),
        Row("c", "Måske", 0, 0),
    ]


# --- scale -----------------------------------------------------------------------------------

LOW = {"da": "Helt uenig", "en": "Strongly disagree"}
HIGH = {"da": "Helt enig", "en": "Strongly agree"}


@pytest.mark.parametrize(
    "data, expected",
    [
        ({}, Scale(5, LOW, HIGH)),
        ({"scale": None}, Scale(5, LOW, HIGH)),
        ({"scale": {}}, Scale(5, LOW, HIGH)),
        ({"scale": {"points": 7}}, Scale(7, LOW, HIGH)),
        ({"scale": {"points": 5, "low": " Nej ", "high": "Ja"}}, Scale(5, {"en": "Nej"}, {"en": "Ja"})),
        ({"scale": {"low": "", "high": "x" * 120}}, Scale(5, LOW, {"en": "x" * 120})),
    ],
)
def test_a_live_scale_question_defaults_to_five_labelled_points(data, expected):
    assert SCALE_KIND.adhoc(data, "en") == {"scale": expected}


@pytest.mark.parametrize(
    "data, detail",
    [
        ({"scale": "7"}, "scale must be an object"),
        ({"scale": [7]}, "scale must be an object"),
        ({"scale": {"points": 6}}, "scale.points must be 5 or 7"),
        ({"scale": {"points": None}}, "scale.points must be 5 or 7"),
        ({"scale": {"points": "5"}}, "scale.points must be 5 or 7"),
        ({"scale": {"low": "x" * 121}}, "low is longer than 120 characters"),
        ({"scale": {"high": 3}}, "high must be a string"),
    ],
)
def test_a_live_scale_question_refuses(data, detail):
    assert code_and_detail(SCALE_KIND.adhoc, data, "da") == ("invalid_request", detail)


@pytest.mark.parametrize(
    "dilemma, language, expected",
    [
        (SCALE5, "en", {"options": [], "scale": {"points": 5, "low": "Disagree", "high": "Agree"}}),
        (SCALE5, "da", {"options": [], "scale": {"points": 5, "low": "Uenig", "high": "Enig"}}),
        (SCALE7, "en", {"options": [], "scale": {"points": 7, "low": "Nej", "high": "Ja"}}),
    ],
)
def test_a_scale_payload_gives_points_and_end_labels(dilemma, language, expected):
    assert SCALE_KIND.payload(dilemma, language) == expected


@pytest.mark.parametrize("dilemma, value", [(SCALE5, 1), (SCALE5, 5), (SCALE7, 7), (SCALE7, 4)])
def test_a_scale_answer_is_a_point(dilemma, value):
    assert SCALE_KIND.parse(dilemma, {"value": value, "option": "a"}) == value
    assert SCALE_KIND.mine(value) == {"value": value}
    assert SCALE_KIND.key(value) == str(value)
    assert SCALE_KIND.text_of(value, "fordi") == "fordi"
    assert SCALE_KIND.served(dilemma, value) == dilemma.values


@pytest.mark.parametrize(
    "dilemma, data",
    [
        (SCALE5, {}),
        (SCALE5, {"value": 0}),
        (SCALE5, {"value": 6}),
        (SCALE5, {"value": True}),
        (SCALE5, {"value": 2.0}),
        (SCALE5, {"value": "3"}),
        (SCALE5, {"value": -1}),
        (SCALE7, {"value": 8}),
    ],
)
def test_a_scale_answer_outside_the_points_is_an_invalid_option(dilemma, data):
    n = dilemma.scale.points
    assert code_and_detail(SCALE_KIND.parse, dilemma, data) == (
        "invalid_option",
        f"value must be a whole number from 1 to {n}",
    )


def test_the_invalid_option_message_names_the_points():
    assert code_and_detail(SCALE_KIND.parse, SCALE7, {"value": 0})[1] == "value must be a whole number from 1 to 7"


@pytest.mark.parametrize(
    "dilemma, values, counts, shares, mean, median",
    [
        (SCALE5, [], {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}, {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}, None, None),
        (
            SCALE5,
            [1, 2, 2],
            {"1": 1, "2": 2, "3": 0, "4": 0, "5": 0},
            {"1": 33, "2": 67, "3": 0, "4": 0, "5": 0},
            1.7,
            2,
        ),
        (
            SCALE5,
            [1, 2],
            {"1": 1, "2": 1, "3": 0, "4": 0, "5": 0},
            {"1": 50, "2": 50, "3": 0, "4": 0, "5": 0},
            1.5,
            1.5,
        ),
        (SCALE5, [5], {"1": 0, "2": 0, "3": 0, "4": 0, "5": 1}, {"1": 0, "2": 0, "3": 0, "4": 0, "5": 100}, 5.0, 5),
        (
            SCALE7,
            [7, 1, 7, 4],
            {"1": 1, "2": 0, "3": 0, "4": 1, "5": 0, "6": 0, "7": 2},
            {"1": 25, "2": 0, "3": 0, "4": 25, "5": 0, "6": 0, "7": 50},
            4.8,
            5.5,
        ),
    ],
)
def test_a_scale_tally_counts_every_point_with_mean_and_median(dilemma, values, counts, shares, mean, median):
    assert SCALE_KIND.distribution(dilemma, values) == counts
    assert SCALE_KIND.tally(dilemma, values) == {
        "counts": counts,
        "percentages": shares,
        "mean": mean,
        "median": median,
    }


def test_scale_export_rows_label_the_ends():
    results = {"counts": {"1": 1, "3": 2}, "percentages": {"1": 33, "3": 67}}
    assert SCALE_KIND.rows(SCALE5, results, "en") == [
        Row("1", "1 (Disagree)", 1, 33),
        Row("2", "2", 0, 0),
        Row("3", "3", 2, 67),
        Row("4", "4", 0, 0),
        Row("5", "5 (Agree)", 0, 0),
    ]
    rows = SCALE_KIND.rows(SCALE7, {"counts": None, "percentages": None}, "da")
    assert [r.label for r in rows] == ["1 (Nej)", "2", "3", "4", "5", "6", "7 (Ja)"]
    assert [(r.key, r.n, r.share) for r in rows] == [(str(p), 0, 0) for p in range(1, 8)]


def test_an_agreement_check_is_a_five_point_scale_on_the_agreement():
    assert agreement_check(2, "Vi siger fra", ("respect", "trust", "honesty", "decency")) == Dilemma(
        id="agreement-2",
        kind="scale",
        title={"da": "Opfølgning på en aftale (2)", "en": "Following up an agreement (2)"},
        text={"da": "Vi siger fra", "en": "Vi siger fra"},
        question={"da": "Vi har holdt denne aftale", "en": "We kept this agreement"},
        scale=Scale(5, {"da": "Helt uenig", "en": "Strongly disagree"}, {"da": "Helt enig", "en": "Strongly agree"}),
        values=("respect", "trust", "honesty"),
    )


# --- text ------------------------------------------------------------------------------------


def test_a_live_text_question_takes_no_reason():
    assert TEXT_KIND.adhoc({"reason": "required"}, "da") == {"reason": "off"}


@pytest.mark.parametrize("data, expected", [({"text": "  Tillid  "}, "Tillid"), ({"text": "x" * 280}, "x" * 280)])
def test_a_text_answer_is_the_cleaned_text(data, expected):
    assert TEXT_KIND.parse(TEXT, data) == expected


@pytest.mark.parametrize(
    "data, detail",
    [
        ({}, "text is required"),
        ({"text": " \n "}, "text is required"),
        ({"text": 5}, "text must be a string"),
        ({"text": "x" * 281}, "text is longer than 280 characters"),
    ],
)
def test_a_text_answer_refuses(data, detail):
    assert code_and_detail(TEXT_KIND.parse, TEXT, data) == ("invalid_request", detail)


def test_a_text_answer_is_its_own_text_on_the_wall():
    assert TEXT_KIND.mine("Tillid") == {"text": "Tillid"}
    assert TEXT_KIND.text_of("Tillid", "ignored") == "Tillid"
    assert TEXT_KIND.key("Tillid") is None
    assert TEXT_KIND.served(TEXT, "Tillid") == ("engagement",)
    assert TEXT_KIND.distribution(TEXT, ["Tillid"]) is None
    assert TEXT_KIND.rows(TEXT, {"words": [["tillid", 1]]}, "da") == []
    assert TEXT_KIND.payload(TEXT, "da") == {"options": []}


@pytest.mark.parametrize(
    "texts, expected",
    [
        ([], []),
        (
            ["Tillid og tillid, TILLID!", "Mod er godt", "Ærlighed-i-dag", "it's 2024 x ø ok", "kollegaens tillid"],
            [["tillid", 4], ["godt", 1], ["it's", 1], ["kollegaens", 1], ["ok", 1], ["ærlighed-i-dag", 1]],
        ),
        (["the and of a og i at det"], []),  # stop words only
        (["Respekt respekt ansvar", "ansvar ANSVAR mod"], [["ansvar", 3], ["respekt", 2]]),
        (["don’t stop", "b2b"], [["don’t", 1], ["stop", 1]]),  # digits split words; one letter is no word
        (["zebra abe abe zebra"], [["abe", 2], ["zebra", 2]]),  # ties alphabetically
    ],
)
def test_the_word_cloud_counts_words_without_stop_words(texts, expected):
    assert words(texts) == expected


@pytest.mark.parametrize(
    "word", ["og", "ikke", "måske", "hvornår", "the", "would", "yourselves", "let", "mest", "selv"]
)
def test_stop_words_are_left_out(word):
    assert words([f"{word} tillid"]) == [["tillid", 1]]


def test_the_word_cloud_holds_the_thirty_most_frequent_words():
    letters = string.ascii_lowercase
    many = [f"zq{letters[i // 26]}{letters[i % 26]}" for i in range(31)]  # zqaa, zqab, … zqbe
    got = words([" ".join(many), "zqbe"])
    assert len(got) == 30
    assert got[0] == ["zqbe", 2]
    assert [w for w, _ in got[1:]] == many[:29]


def test_a_text_tally_is_its_word_cloud():
    assert TEXT_KIND.tally(TEXT, ["Tillid", "tillid og mod", "ansvar"]) == {"words": [["tillid", 2], ["ansvar", 1]]}
