"""Screens of the app: the week screen and the forms it opens."""
