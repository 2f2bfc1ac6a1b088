"""The who/what agreement measure itself (tests/agreement.py): what it credits and what it does not."""

from __future__ import annotations

import pytest
from agreement import char_f1, field_agreement, pair_lines, party_agreement, same_party


def test_character_f1_counts_shared_letters_traditional_read_as_simplified() -> None:
    assert char_f1("各單位", "各单位") == 1.0
    assert char_f1("", "各单位") == 0.0
    assert char_f1("各单位", "各有关单位") == pytest.approx(2 * 3 / 8)


def test_a_bracketed_alternative_is_a_reading() -> None:
    assert field_agreement("项目申报单位", "各单位(项目申报单位)") == 1.0


@pytest.mark.parametrize(
    ("predicted", "gold"),
    [
        ("纳税人", "实行每月或者每季度期满后15日内申报纳税的纳税人(经各地税务局告知)"),
        ("各单位", "各有关单位(项目申报单位)"),
        ("企业", "申报高新技术企业的企业(第一批)"),
        ("公众", "社会公众"),
        ("有异议的单位或个人", "对公示对象有异议的单位或个人"),
        ("投标人", "投標人"),
        ("申报单位", "申报单位/项目申报人"),  # one of two alternatives
    ],
)
def test_a_shorter_name_of_the_same_party_agrees(predicted: str, gold: str) -> None:
    assert party_agreement(predicted, gold) == 1.0


@pytest.mark.parametrize(
    ("predicted", "gold"),
    [
        ("个人", "任何单位和个人"),  # one of the two parties
        ("单位", "有异议的单位或个人"),
        ("国家税务总局驻各地特派员办事处", "实行每月或者每季度期满后15日内申报纳税的纳税人"),  # another party
        ("学院", "学院研究生秘书"),  # the head differs
        ("各学院", "各单位"),  # letters not in the gold
        ("人", "纳税人"),  # too short to name anyone
    ],
)
def test_another_party_or_part_of_one_does_not(predicted: str, gold: str) -> None:
    assert not any(same_party(predicted, reading) for reading in (gold,))
    assert party_agreement(predicted, gold) == field_agreement(predicted, gold) < 1.0


def test_pairs_are_listed_for_a_tunable_set_and_refused_for_a_sealed_one(monkeypatch) -> None:
    import importlib.util
    from pathlib import Path

    import agreement

    from calendar_svc.vocabulary import VOCABULARY

    data = Path(agreement.__file__).resolve().parent / "data"
    spec = importlib.util.spec_from_file_location("score", data / "shared_notices" / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    lines = pair_lines(score, data / "shared_notices", VOCABULARY.has_action)
    assert any(" who " in line for line in lines) and any(" what " in line for line in lines)
    assert all(line.isprintable() for line in lines)
    monkeypatch.setattr("sys.argv", ["agreement.py", "--pairs", "heldout13"])
    with pytest.raises(SystemExit, match="not a tunable set"):
        agreement.main()
