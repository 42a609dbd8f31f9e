"""The response checklist of the regulations (应急预案 五、响应程序)."""


def test_injured_people_add_medical_help_to_any_checklist(world):
    from safety.models import checklist_for

    assert "medical_help" not in checklist_for("violent_robbery", 0)
    assert "medical_help" in checklist_for("violent_robbery", 2)
