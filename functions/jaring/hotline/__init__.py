"""The hotline's conversation: the citizen's and staff's turns, staff commands and labels."""
