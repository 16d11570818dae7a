"""A minimal Django site with a login form, run by the reverse-mode tests with its defaults."""
