"""Every state change of the staff app, one module per feature: `penalties`, `rosters`, `leave`,
`duty`, `attendance`, `calendar`. Each validates, locks, writes in one transaction and records
its audit entry. Other apps call `staff.services.penalties.penalty_record`."""
