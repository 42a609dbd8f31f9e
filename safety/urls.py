from django.urls import path

from .views import closing, contacts, drills, group, incidents, overview

app_name = "safety"

urlpatterns = [
    path("contacts/", contacts.contacts, name="contacts"),
    path("contacts/card/<slug:hall_code>/", contacts.contact_card, name="contact_card"),
    path("contacts/new/", contacts.contact_create, name="contact_create"),
    path("contacts/<int:pk>/edit/", contacts.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", contacts.contact_delete, name="contact_delete"),
    path("group/", group.group, name="group"),
    path("group/<int:pk>/remove/", group.group_remove, name="group_remove"),
    path("officers/<slug:hall_code>/", group.officer_set, name="officer_set"),
    path("incidents/", incidents.incident_list, name="incident_list"),
    path("incidents/report/", incidents.incident_report, name="incident_report"),
    path("incidents/<int:pk>/", incidents.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/step/", incidents.incident_step, name="incident_step"),
    path("incidents/<int:pk>/state/", incidents.incident_transition, name="incident_transition"),
    path("incidents/<int:pk>/person/", incidents.incident_person, name="incident_person"),
    path("incidents/<int:pk>/correct/", incidents.incident_correct, name="incident_correct"),
    path("incidents/<int:pk>/notes/", incidents.incident_notes, name="incident_notes"),
    path("incidents/<int:pk>/action/", incidents.incident_action, name="incident_action"),
    path("actions/", incidents.action_list, name="action_list"),
    path("actions/<int:pk>/done/", incidents.action_done, name="action_done"),
    path("drills/", drills.drill_year, name="drill_year"),
    path("drills/record/", drills.drill_record, name="drill_record"),
    path("drills/<int:pk>/", drills.drill_detail, name="drill_detail"),
    path("drills/<int:pk>/action/", drills.drill_action, name="drill_action"),
    path("closing/", closing.closing_month, name="closing_month"),
    path("closing/record/", closing.closing_record, name="closing_record"),
    path("overview/", overview.overview, name="overview"),
    path("overview/export.<str:fmt>", overview.overview_export, name="overview_export"),
]
