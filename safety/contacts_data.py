"""The emergency numbers of the regulations (安全应急预案, 六、应急通信).

Plain data, so that the data migration and the demo data share it without importing models.
"""

# name, phone
NATIONAL_NUMBERS = [
    ("报警电话", "110"),
    ("火警电话", "119"),
    ("交通事故", "122"),
    ("医疗急救", "120"),
]

# hall code -> (police station, phone)
HALL_POLICE_STATIONS = {
    "longquan": ("龙泉派出所", "2332770"),
    "quankou": ("泉口派出所", "2332878"),
    "duodao": ("白石坡派出所", "2490380"),
}


def seed_contacts(EmergencyContact, Hall) -> int:
    """Create the missing numbers (models passed in: real ones or a migration's). Idempotent."""
    created = 0
    for order, (name, phone) in enumerate(NATIONAL_NUMBERS):
        _contact, new = EmergencyContact.objects.get_or_create(
            hall=None,
            name=name,
            defaults={"kind": "national", "phone": phone, "sort_order": order},
        )
        created += new
    for hall in Hall.objects.filter(code__in=HALL_POLICE_STATIONS):
        name, phone = HALL_POLICE_STATIONS[hall.code]
        _contact, new = EmergencyContact.objects.get_or_create(
            hall=hall,
            name=name,
            defaults={"kind": "police_station", "phone": phone, "sort_order": 10},
        )
        created += new
    return created
