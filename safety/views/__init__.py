"""Pages of the safety app, one module per feature: contacts, group, incidents (and their
corrective actions), drills, closing, overview. Thin: access, bind the form, call one service,
render or redirect; who may do what is asked of safety.rules."""
