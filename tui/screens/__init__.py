"""Screens of the app: the week screen and its tabs."""
