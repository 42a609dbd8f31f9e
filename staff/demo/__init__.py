"""Demo data of the staff app, for `manage.py seed_demo`: the core's halls, departments and
logins (`core`), then shift types, rosters, attendance, leave, duty and penalties (`rosters`)."""
