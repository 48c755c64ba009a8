import pytest
from django.core.exceptions import ValidationError

from monitora.questionnaires.definitions import QUESTIONNAIRES, get_spec
from monitora.questionnaires.models import Option, Question, Questionnaire
from monitora.questionnaires.validation import clean_answers


def test_every_version_is_mirrored_in_the_database(db):
    for code, spec in QUESTIONNAIRES.items():
        questionnaire = Questionnaire.objects.get(code=code)
        assert list(questionnaire.questions.values_list("key", flat=True)) == spec.keys
        for question in spec.questions:
            db_codes = list(
                Option.objects.filter(
                    question__questionnaire=questionnaire, question__key=question.key
                ).values_list("code", flat=True)
            )
            assert db_codes == [o.code for o in question.options]


def test_no_is_distinct_from_not_answered():
    cleaned = clean_answers(
        "v2022", {"visita_diretta": "0", "raccolta_info_web": "", "referenti_politici": True}
    )
    assert cleaned["visita_diretta"].boolean is False
    assert "raccolta_info_web" not in cleaned
    assert cleaned["referenti_politici"].boolean is True


def test_unknown_option_is_refused_with_the_field_named():
    with pytest.raises(ValidationError) as exc:
        clean_answers("v2022", {"stato_di_avanzamento": "9"})
    assert "stato_di_avanzamento" in exc.value.message_dict
    assert "opzione sconosciuta '9'" in exc.value.message_dict["stato_di_avanzamento"][0]


def test_unknown_question_is_refused_not_ignored():
    with pytest.raises(ValidationError) as exc:
        clean_answers("v2019", {"status": "published"})
    assert "domanda sconosciuta" in exc.value.message_dict["status"][0]


def test_conditional_question_refused_when_condition_does_not_hold():
    with pytest.raises(ValidationError) as exc:
        clean_answers("v2022", {"stato_di_avanzamento": "3", "problemi_tecnici": "1"})
    assert "problemi_tecnici" in exc.value.message_dict
    ok = clean_answers("v2022", {"stato_di_avanzamento": "4", "problemi_tecnici": "1"})
    assert ok["problemi_tecnici"].boolean is True


def test_works_status_only_for_public_works():
    answers = {"stato_di_avanzamento": "3", "stato_di_avanzamento_infrastrutturale": "5"}
    with pytest.raises(ValidationError):
        clean_answers("v2022", answers, cup_nature="ACQUISTO DI BENI")
    cleaned = clean_answers(
        "v2022", answers, cup_nature="REALIZZAZIONE DI LAVORI PUBBLICI (OPERE ED IMPIANTISTICA)"
    )
    assert cleaned["stato_di_avanzamento_infrastrutturale"].option_code == "5"


def test_complete_submission_requires_required_questions():
    with pytest.raises(ValidationError) as exc:
        clean_answers("v2022", {"obiettivi": "x"}, require_complete=True, steps=(1, 2))
    assert set(exc.value.message_dict) >= {"stato_di_avanzamento", "avanzamento"}


def test_every_error_is_reported_at_once():
    with pytest.raises(ValidationError) as exc:
        clean_answers("v2022", {"gs": "7", "visita_diretta": "forse", "nonsense": "1"})
    assert set(exc.value.message_dict) == {"gs", "visita_diretta", "nonsense"}


def test_effectiveness_labels_depend_on_progress_state():
    gs = get_spec("v2022").question("gs")
    assert (
        gs.option("1")
        .variants["1"]
        .startswith("Potenzialmente efficace - Il progetto sembra utile e complessivamente")
    )
    assert gs.option("1").variants["6"].startswith("Intervento efficace")


def test_question_labels_are_verbatim(db):
    label = Question.objects.get(questionnaire__code="v2022", key="attivita").label_it
    assert label == "Attività previste dal progetto monitorato :"


def test_nul_character_is_refused_before_it_reaches_the_database():
    with pytest.raises(ValidationError) as exc:
        clean_answers("v2022", {"avanzamento": "in corso\x00"})
    assert "carattere nullo" in exc.value.message_dict["avanzamento"][0]
