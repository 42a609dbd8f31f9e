"""The staff core: what every app of the project builds on, and the project's plumbing.

- halls, departments, employees (`staff.models.core`) and roles (`roles`); who sees what
  (`access`); the one audit trail (`audit`); how apps plug into the home page, the navigation
  and the demo data (`extensions`); the working calendar every date rule reads (`calendar`);
- the shared helpers: a service's refusal shown on a page (`refusals`), the one CSV/XLSX writer
  (`tabular`), the one amount parser (`money`), uploads (`text_encoding`, `uploads`), query
  parameters (`params`), the hall lock (`locks`);
- the infrastructure: sign-in (`backends`, `forms`, `views`), sessions (`middleware`), logging
  (`log_filters`), the page header (`context_processors`), the database's health
  (`database`, `views`).

The core never imports the HR features of the staff app (rosters, leave, duty, attendance,
penalties) nor the other apps.
"""
