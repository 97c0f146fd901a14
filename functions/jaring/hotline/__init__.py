"""The hotline's conversation parts (pure): office configuration, hours, matching, menus, staff commands."""
