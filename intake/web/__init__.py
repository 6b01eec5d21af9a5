"""Web entry points, one blueprint per audience: kiosk (recipient), api (the widget), caseworker."""
